import Foundation

/// Splitting a pass over rows (or bitmap words) across the cores. Every
/// caller's slices write disjoint outputs or their own partial results.
enum Parallel {
    static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// For tests: a grain that replaces every caller's, so a few hundred
    /// rows are split into many slices and the joining of partial results
    /// is exercised without building millions of rows.
    @TaskLocal static var testGrain: Int?

    /// `body` over consecutive slices of `0..<count`, each at least about
    /// `grain` long (so a small input stays on this thread) and starting on
    /// a multiple of `align`. Slice `i` gets index `i`, below
    /// `sliceCount(...)` with the same arguments, for partial results.
    static func slices(_ count: Int, grain: Int, align: Int = 1, _ body: (_ index: Int, _ range: Range<Int>) -> Void) {
        let (n, step) = plan(count, grain: grain, align: align)
        if n == 1 { body(0, 0..<count); return }
        DispatchQueue.concurrentPerform(iterations: n) { i in
            body(i, (i * step)..<min(count, (i + 1) * step))
        }
    }

    /// One result per slice of `0..<count` (as `slices` cuts it), in slice
    /// order, for the caller to join.
    static func perSlice<T>(_ count: Int, grain: Int, initial: T, _ body: (_ range: Range<Int>) -> T) -> [T] {
        var out = [T](repeating: initial, count: sliceCount(count, grain: grain))
        out.withUnsafeMutableBufferPointer { o in
            slices(count, grain: grain) { i, range in o[i] = body(range) }
        }
        return out
    }

    static func sliceCount(_ count: Int, grain: Int, align: Int = 1) -> Int {
        plan(count, grain: grain, align: align).slices
    }

    /// A few slices a core, so one slow core does not hold up the rest.
    private static func plan(_ count: Int, grain: Int, align: Int) -> (slices: Int, step: Int) {
        guard count > 0 else { return (0, 1) }
        let test = testGrain
        let grain = test ?? grain
        let wanted = min(test == nil ? cores * 4 : count, max(1, count / max(1, grain)))
        if wanted <= 1 || (cores == 1 && test == nil) { return (1, count) }
        var step = (count + wanted - 1) / wanted
        step = (step + align - 1) / align * align
        return ((count + step - 1) / step, step)
    }
}
