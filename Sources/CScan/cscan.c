// The first stage of the CSV scan: where the separators, line feeds and
// quotes are, 64 bytes at a time, as bit masks turned into offsets.
//
// Written in C because it needs the vector compare-to-bitmask instruction
// (`pmovmskb`), which Swift's SIMD types do not expose: their element-wise
// compares, read back lane by lane, cost several times as many
// instructions and, in the row loop they fed, a mispredicted branch at
// nearly every field. No package on the allowed list scans CSV.
//
// On x86-64 the pass is compiled twice: for every x86-64 (SSE2, and bit
// counts done in software), and for processors with AVX2, POPCNT and BMI
// (nearly all since 2013), chosen once at run time. Other processors take
// the portable loop, which gives the same lists.
#include "cscan.h"
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define MISQ_X86 1
#endif

#define ALWAYS static inline __attribute__((always_inline))

// The lowest set bit's index. The top bit is or-ed in so a mask that has
// run out gives 63, not an undefined result: the entries written then lie
// past the count and are never read.
ALWAYS uint32_t lowest(uint64_t m) {
    return (uint32_t)__builtin_ctzll(m | 0x8000000000000000ull);
}

// Hides a value from the optimiser, at no cost: without it, clang's
// straight-line vectoriser turns the eight steps below into vector code
// that counts trailing zeros by table lookups, slower than these scalar
// steps whenever the bytes are already in cache.
ALWAYS void opaque(uint64_t *m) { __asm__("" : "+r"(*m)); }

// Appends the offsets of m's set bits (base + bit) at out[k...]. Eight are
// written whatever the count, so the common block (a few separators) takes
// no branch that depends on the data.
ALWAYS size_t flatten(uint32_t *out, size_t k, uint32_t base, uint64_t m) {
    size_t count = (size_t)__builtin_popcountll(m);
    uint32_t *o = out + k;
    for (int j = 0; j < 8; j++) { uint64_t at = lowest(m); opaque(&at); o[j] = base + (uint32_t)at; m &= m - 1; }
    if (count > 8) {
        for (size_t j = 8; j < count; j++) { o[j] = base + lowest(m); m &= m - 1; }
    }
    return k + count;
}

// Line feeds and quotes: most blocks have none, and few more than one, so
// one is written whatever the mask and the count is only taken for more.
ALWAYS size_t flattenFew(uint32_t *out, size_t k, uint32_t base, uint64_t m) {
    out[k] = base + lowest(m);
    k += m != 0;
    m &= m - 1;
    while (m) { out[k++] = base + lowest(m); m &= m - 1; }
    return k;
}

// The three masks of one 64-byte block, per instruction set.
#if MISQ_X86
ALWAYS uint64_t matches16(__m128i a, __m128i b, __m128i c, __m128i d, __m128i v) {
    uint64_t m0 = (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(a, v));
    uint64_t m1 = (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(b, v));
    uint64_t m2 = (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(c, v));
    uint64_t m3 = (uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(d, v));
    return m0 | (m1 << 16) | (m2 << 32) | (m3 << 48);
}

ALWAYS void masksSSE2(const uint8_t *p, uint8_t separator, uint64_t *s, uint64_t *f, uint64_t *q) {
    __m128i a = _mm_loadu_si128((const __m128i *)p);
    __m128i b = _mm_loadu_si128((const __m128i *)(p + 16));
    __m128i c = _mm_loadu_si128((const __m128i *)(p + 32));
    __m128i d = _mm_loadu_si128((const __m128i *)(p + 48));
    *s = matches16(a, b, c, d, _mm_set1_epi8((char)separator));
    *f = matches16(a, b, c, d, _mm_set1_epi8('\n'));
    *q = matches16(a, b, c, d, _mm_set1_epi8('"'));
}

__attribute__((target("avx2")))
ALWAYS uint64_t matches32(__m256i a, __m256i b, __m256i v) {
    uint64_t lo = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, v));
    uint64_t hi = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, v));
    return lo | (hi << 32);
}

__attribute__((target("avx2")))
ALWAYS void masksAVX2(const uint8_t *p, uint8_t separator, uint64_t *s, uint64_t *f, uint64_t *q) {
    __m256i a = _mm256_loadu_si256((const __m256i *)p);
    __m256i b = _mm256_loadu_si256((const __m256i *)(p + 32));
    *s = matches32(a, b, _mm256_set1_epi8((char)separator));
    *f = matches32(a, b, _mm256_set1_epi8('\n'));
    *q = matches32(a, b, _mm256_set1_epi8('"'));
}
#endif

ALWAYS void masksPortable(const uint8_t *p, uint8_t separator, uint64_t *s, uint64_t *f, uint64_t *q) {
    uint64_t ms = 0, mf = 0, mq = 0;
    for (int j = 0; j < 64; j++) {
        ms |= (uint64_t)(p[j] == separator) << j;
        mf |= (uint64_t)(p[j] == '\n') << j;
        mq |= (uint64_t)(p[j] == '"') << j;
    }
    *s = ms; *f = mf; *q = mq;
}

// The pass, given a way to compute a block's masks.
#define STRUCTURALS_BODY(MASKS)                                                      \
    misq_structural_counts n = {0, 0, 0};                                            \
    size_t i = 0;                                                                    \
    uint64_t s, f, q;                                                                \
    for (; i + 64 <= len; i += 64) {                                                 \
        MASKS(p + i, separator, &s, &f, &q);                                         \
        n.separators = flatten(separators, n.separators, (uint32_t)i, s);            \
        n.feeds = flattenFew(feeds, n.feeds, (uint32_t)i, f);                        \
        if (q) n.quotes = flattenFew(quotes, n.quotes, (uint32_t)i, q);              \
    }                                                                                \
    if (i < len) {                                                                   \
        /* The last part-block, padded with a byte that is none of the three. */     \
        uint8_t tail[64];                                                            \
        memset(tail, separator == 0 ? 1 : 0, sizeof tail);                           \
        memcpy(tail, p + i, len - i);                                                \
        MASKS(tail, separator, &s, &f, &q);                                          \
        n.separators = flatten(separators, n.separators, (uint32_t)i, s);            \
        n.feeds = flattenFew(feeds, n.feeds, (uint32_t)i, f);                        \
        if (q) n.quotes = flattenFew(quotes, n.quotes, (uint32_t)i, q);              \
    }                                                                                \
    return n;

#if MISQ_X86
static misq_structural_counts structuralsSSE2(const uint8_t *p, size_t len, uint8_t separator,
                                              uint32_t *separators, uint32_t *feeds, uint32_t *quotes) {
    STRUCTURALS_BODY(masksSSE2)
}

__attribute__((target("avx2,popcnt,bmi")))
static misq_structural_counts structuralsAVX2(const uint8_t *p, size_t len, uint8_t separator,
                                              uint32_t *separators, uint32_t *feeds, uint32_t *quotes) {
    STRUCTURALS_BODY(masksAVX2)
}

static int hasAVX2(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt") && __builtin_cpu_supports("bmi");
}
#endif

static misq_structural_counts structuralsPortable(const uint8_t *p, size_t len, uint8_t separator,
                                                  uint32_t *separators, uint32_t *feeds, uint32_t *quotes) {
    STRUCTURALS_BODY(masksPortable)
}

int misq_structurals_by(int set, const uint8_t *p, size_t len, uint8_t separator,
                        uint32_t *separators, uint32_t *feeds, uint32_t *quotes, misq_structural_counts *found) {
    switch (set) {
    case 0: *found = structuralsPortable(p, len, separator, separators, feeds, quotes); return 1;
#if MISQ_X86
    case 1: *found = structuralsSSE2(p, len, separator, separators, feeds, quotes); return 1;
    case 2:
        if (!hasAVX2()) return 0;
        *found = structuralsAVX2(p, len, separator, separators, feeds, quotes);
        return 1;
#endif
    default: return 0;
    }
}

misq_structural_counts misq_structurals(const uint8_t *p, size_t len, uint8_t separator,
                                        uint32_t *separators, uint32_t *feeds, uint32_t *quotes) {
#if MISQ_X86
    // Decided once; a race between first callers stores the same answer.
    static volatile int choice = -1;
    int c = choice;
    if (c < 0) { c = hasAVX2(); choice = c; }
    return c ? structuralsAVX2(p, len, separator, separators, feeds, quotes)
             : structuralsSSE2(p, len, separator, separators, feeds, quotes);
#else
    return structuralsPortable(p, len, separator, separators, feeds, quotes);
#endif
}
