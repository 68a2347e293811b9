/* The emitter benchmark's kernels in C, for the gcc -O2 column of
 * `ferropy-bench` and `cargo run --release -p ferropy-benches --bin emitters`.
 * Prints "kernel c best_microseconds result" per kernel.
 *
 * Each kernel mirrors its viper version in benches/py/emitters.py, so that
 * gcc does the same work as the viper code:
 * - it is a function taking the same arguments (buffers as pointers, sizes
 *   and factors as machine words), called with the sizes at run time;
 *   `noipa` keeps gcc from cloning it for the constant arguments of the
 *   call (which would give it compile-time trip counts the viper code
 *   never has);
 * - viper `int` is a machine word (`intptr_t`), `uint` an unsigned one;
 *   ptr8/ptr32 elements are `uint8_t`/`uint32_t`, zero-extended to a word
 *   when loaded and truncated when stored, as in viper;
 * - buffers are plain pointers that may alias, as viper's pointers.
 * Only the data set-up (untimed, as the Python `setup()`) differs. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KERNEL __attribute__((noipa))

typedef intptr_t word;
typedef uintptr_t uword;

static long now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

/* --- recursive fib --- */
KERNEL static word fib(word n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static long k_fib(void) { return (long)fib(23); }

/* --- integer loop --- */
KERNEL static word loop(word n) {
    word s = 0;
    for (word i = 0; i < n; i++) {
        s += (i * 7) & 1023;
        s ^= i;
    }
    return s;
}

static long k_loop(void) { return (long)loop(300000); }

/* --- bubble sort of a bytearray --- */
KERNEL static void bsort(uint8_t *b, word n) {
    for (word i = 0; i < n; i++)
        for (word j = 0; j < n - 1 - i; j++)
            if ((word)b[j] > (word)b[j + 1]) {
                word t = b[j];
                b[j] = (uint8_t)b[j + 1];
                b[j + 1] = (uint8_t)t;
            }
}

static uint8_t bub[300];

static void s_bubble(void) {
    for (int i = 0; i < 300; i++) bub[i] = (uint8_t)((i * 73 + 11) & 255);
}

static long k_bubble(void) {
    bsort(bub, 300);
    return bub[0] + bub[150] * 256L + bub[299] * 65536L;
}

/* --- Fletcher-16 checksum over a bytearray --- */
KERNEL static word fletcher(const uint8_t *b, word n) {
    word s1 = 0, s2 = 0;
    for (word i = 0; i < n; i++) {
        s1 = (s1 + b[i]) % 255;
        s2 = (s2 + s1) % 255;
    }
    return (s2 << 8) | s1;
}

static uint8_t data[100000];

static long k_checksum(void) { return (long)fletcher(data, 100000); }

/* --- RGBA pixel blend over 32-bit words --- */
KERNEL static void blend(uint32_t *d, const uint32_t *s, word n, word alpha) {
    word inv = 256 - alpha;
    for (word i = 0; i < n; i++) {
        word a = d[i];
        word b = s[i];
        word out = 0;
        word shift = 0;
        while (shift < 32) {
            word ca = (a >> shift) & 255;
            word cb = (b >> shift) & 255;
            out |= (((ca * inv + cb * alpha) >> 8) & 255) << shift;
            shift += 8;
        }
        d[i] = (uint32_t)out;
    }
}

static uint32_t dst[16384], src[16384];

static void s_blend(void) {
    for (uint32_t i = 0; i < 16384; i++) {
        dst[i] = (uint32_t)(i * 2654435761u);
        src[i] = (uint32_t)(i * 40503u);
    }
}

static long k_blend(void) {
    blend(dst, src, 16384, 100);
    return dst[0] ^ dst[5000] ^ dst[16383];
}

/* --- sieve of Eratosthenes over a bytearray --- */
KERNEL static word sieve(uint8_t *b, word n) {
    word count = 0;
    for (word i = 2; i < n; i++)
        if (b[i] == 0) {
            count += 1;
            word j = i * i;
            while (j < n) {
                b[j] = 1;
                j += i;
            }
        }
    return count;
}

static uint8_t sieve_buf[200000];

static void s_sieve(void) {
    for (long i = 0; i < 200000; i++) sieve_buf[i] = 0;
}

static long k_sieve(void) { return (long)sieve(sieve_buf, 200000); }

/* --- bitwise CRC-32 (IEEE, reflected) --- */
KERNEL static word crc32(const uint8_t *b, word n) {
    uword crc = 0xFFFFFFFFu;
    for (word i = 0; i < n; i++) {
        crc ^= (uword)b[i];
        for (word k = 0; k < 8; k++) {
            if (crc & 1)
                crc = (crc >> 1) ^ (uword)0xEDB88320u;
            else
                crc >>= 1;
        }
    }
    return (word)(crc ^ (uword)0xFFFFFFFFu);
}

static uint8_t cdata[20000];

static long k_crc32(void) { return (long)crc32(cdata, 20000); }

/* --- integer matrix multiply (64 x 64, 32-bit elements) --- */
KERNEL static void matmul(const uint32_t *pa, const uint32_t *pb, uint32_t *pc, word n) {
    for (word i = 0; i < n; i++)
        for (word j = 0; j < n; j++) {
            word s = 0;
            for (word k = 0; k < n; k++) s += (word)pa[i * n + k] * (word)pb[k * n + j];
            pc[i * n + j] = (uint32_t)s;
        }
}

#define MN 64
static uint32_t ma[MN * MN], mb[MN * MN], mc[MN * MN];

static void s_matmul(void) {
    for (int i = 0; i < MN * MN; i++) mc[i] = 0;
}

static long k_matmul(void) {
    matmul(ma, mb, mc, MN);
    return (long)(int32_t)mc[0] + (int32_t)mc[MN * MN / 2] + (int32_t)mc[MN * MN - 1];
}

/* True if `name` is in the comma-separated `list`. */
static int selected(const char *list, const char *name) {
    size_t len = strlen(name);
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == len && strncmp(p, name, len) == 0) return 1;
        if (!end) break;
        p = end + 1;
    }
    return 0;
}

/* `setup` (may be NULL) prepares the data before each run, untimed, as
 * the Python kernels' setup(). */
static void run(const char *name, long (*k)(void), void (*setup)(void), int repeat) {
    long best = -1, result = 0;
    for (int r = 0; r < repeat; r++) {
        if (setup) setup();
        long t = now_us();
        result = k();
        long dt = now_us() - t;
        if (best < 0 || dt < best) best = dt;
    }
    printf("%s c %ld %ld\n", name, best, result);
}

int main(int argc, char **argv) {
    int repeat = argc > 1 ? atoi(argv[1]) : 5;
    for (long i = 0; i < 100000; i++) data[i] = (uint8_t)((i * 7 + 3) & 255);
    for (int i = 0; i < 20000; i++) cdata[i] = (uint8_t)((i * 31 + 7) & 255);
    for (int i = 0; i < MN * MN; i++) {
        ma[i] = (uint32_t)((i * 7 + 1) % 19);
        mb[i] = (uint32_t)((i * 5 + 3) % 23);
    }
    /* Arguments as the Python script's: [REPEAT [KERNEL,KERNEL,...]]. */
    const char *only = argc > 2 ? argv[2] : NULL;
#define RUN(name, k, setup) \
    if (!only || selected(only, name)) run(name, k, setup, repeat)
    RUN("fib", k_fib, NULL);
    RUN("loop", k_loop, NULL);
    RUN("bubble", k_bubble, s_bubble);
    RUN("checksum", k_checksum, NULL);
    RUN("blend", k_blend, s_blend);
    RUN("sieve", k_sieve, s_sieve);
    RUN("crc32", k_crc32, NULL);
    RUN("matmul", k_matmul, s_matmul);
    return 0;
}
