struct ScriptedFailure: Error, CustomStringConvertible {
    var description: String { "the scripted model refused" }
}
