/// The value at `fraction` (0...1) of the sorted `values`, interpolating between neighbours: the median
/// and quartiles the interleaved-rounds tools print.
public func quantile(_ values: [Double], _ fraction: Double) -> Double {
    let sorted = values.sorted()
    let position = fraction * Double(sorted.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = min(lower + 1, sorted.count - 1)
    return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
}
