#ifndef MISQ_CSCAN_H
#define MISQ_CSCAN_H

#include <stddef.h>
#include <stdint.h>

/// How many of each structural byte `misq_structurals` found.
typedef struct {
    size_t separators, feeds, quotes;
} misq_structural_counts;

/// The offsets from `p`, in order, of every separator, line feed and double
/// quote in p[0 ..< len], each kind in its own list. Each list needs room
/// for `len + 64` entries: whole blocks are written past the last one found.
misq_structural_counts misq_structurals(const uint8_t *p, size_t len, uint8_t separator,
                                        uint32_t *separators, uint32_t *feeds, uint32_t *quotes);

/// The same pass by one instruction set, for tests: 0 the portable loop, 1
/// SSE2, 2 AVX2. Returns 0, and writes nothing, where the set is not
/// compiled in or the processor lacks it.
int misq_structurals_by(int set, const uint8_t *p, size_t len, uint8_t separator,
                        uint32_t *separators, uint32_t *feeds, uint32_t *quotes, misq_structural_counts *found);

/// Asks for the cache line at `p` ahead of its use: rows picked out of a
/// file are far apart, and each would otherwise wait for memory in turn.
static inline void misq_prefetch(const void *p) { __builtin_prefetch(p); }

#endif
