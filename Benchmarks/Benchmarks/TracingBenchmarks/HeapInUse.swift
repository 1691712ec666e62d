#if canImport(Glibc)
import Glibc
#endif

/// Bytes of the heap in use, as glibc's allocator counts them (`mallinfo2().uordblks`): what allocated
/// objects hold, independent of pages the process keeps mapped.
func heapBytesInUse() -> Int {
    #if canImport(Glibc)
    Int(mallinfo2().uordblks)
    #else
    0
    #endif
}
