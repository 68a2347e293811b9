/* The emitter benchmark's kernels in C, for the gcc -O2 column of
 * `cargo run --release -p ferropy-benches --bin emitters`. Each kernel does
 * the same work as its Python version in benches/py/emitters.py and prints
 * "kernel c best_microseconds result". */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

static long fib(long n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static long k_fib(void) { return fib(23); }

static long k_loop(void) {
    long s = 0;
    for (long i = 0; i < 300000; i++) {
        s += (i * 7) & 1023;
        s ^= i;
    }
    return s;
}

static uint8_t b[300];

static void s_bubble(void) {
    for (int i = 0; i < 300; i++) b[i] = (uint8_t)((i * 73 + 11) & 255);
}

static long k_bubble(void) {
    for (int i = 0; i < 300; i++)
        for (int j = 0; j < 300 - 1 - i; j++)
            if (b[j] > b[j + 1]) {
                uint8_t t = b[j];
                b[j] = b[j + 1];
                b[j + 1] = t;
            }
    return b[0] + b[150] * 256L + b[299] * 65536L;
}

static uint8_t data[100000];

static long k_checksum(void) {
    long s1 = 0, s2 = 0;
    for (long i = 0; i < 100000; i++) {
        s1 = (s1 + data[i]) % 255;
        s2 = (s2 + s1) % 255;
    }
    return (s2 << 8) | s1;
}

static uint32_t dst[16384], src[16384];

static void s_blend(void) {
    for (uint32_t i = 0; i < 16384; i++) {
        dst[i] = (uint32_t)(i * 2654435761u);
        src[i] = (uint32_t)(i * 40503u);
    }
}

static long k_blend(void) {
    long alpha = 100, inv = 256 - alpha;
    for (int i = 0; i < 16384; i++) {
        uint32_t a = dst[i], b = src[i], out = 0;
        for (int shift = 0; shift < 32; shift += 8) {
            long ca = (a >> shift) & 255, cb = (b >> shift) & 255;
            out |= (uint32_t)((((ca * inv + cb * alpha) >> 8) & 255) << shift);
        }
        dst[i] = out;
    }
    return dst[0] ^ dst[5000] ^ dst[16383];
}

static uint8_t sieve_buf[200000];

static void s_sieve(void) {
    for (long i = 0; i < 200000; i++) sieve_buf[i] = 0;
}

static long k_sieve(void) {
    long n = 200000, count = 0;
    for (long i = 2; i < n; i++)
        if (sieve_buf[i] == 0) {
            count++;
            for (long j = i * i; j < n; j += i) sieve_buf[j] = 1;
        }
    return count;
}

static uint8_t cdata[20000];

static long k_crc32(void) {
    uint32_t crc = 0xFFFFFFFFu;
    for (int i = 0; i < 20000; i++) {
        crc ^= cdata[i];
        for (int k = 0; k < 8; k++) crc = (crc & 1) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
    }
    return (long)(crc ^ 0xFFFFFFFFu);
}

#define MN 64
static int32_t ma[MN * MN], mb[MN * MN], mc[MN * MN];

static void s_matmul(void) {
    for (int i = 0; i < MN * MN; i++) mc[i] = 0;
}

static long k_matmul(void) {
    for (int i = 0; i < MN; i++)
        for (int j = 0; j < MN; j++) {
            int32_t s = 0;
            for (int k = 0; k < MN; k++) s += ma[i * MN + k] * mb[k * MN + j];
            mc[i * MN + j] = s;
        }
    return (long)mc[0] + mc[MN * MN / 2] + mc[MN * MN - 1];
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
    run("fib", k_fib, NULL, repeat);
    run("loop", k_loop, NULL, repeat);
    run("bubble", k_bubble, s_bubble, repeat);
    run("checksum", k_checksum, NULL, repeat);
    run("blend", k_blend, s_blend, repeat);
    for (int i = 0; i < 20000; i++) cdata[i] = (uint8_t)((i * 31 + 7) & 255);
    for (int i = 0; i < MN * MN; i++) {
        ma[i] = (i * 7 + 1) % 19;
        mb[i] = (i * 5 + 3) % 23;
    }
    run("sieve", k_sieve, s_sieve, repeat);
    run("crc32", k_crc32, NULL, repeat);
    run("matmul", k_matmul, s_matmul, repeat);
    return 0;
}
