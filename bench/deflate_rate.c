/* Calibration for bench/report.py: how fast the fastest deflate on this machine (libdeflate,
 * level 6, the level jixiao uses) compresses the streams of a sample of outputs.
 *
 *   deflate_rate RECORDS
 *
 * RECORDS holds the uncompressed streams, each as a 4-byte little-endian length and its
 * bytes. Compresses every record once per pass, keeps the fastest of 5 passes, and prints
 * "<input bytes> <output bytes> <seconds>". Built by bench/run (cc -O2 ... -ldeflate). */
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char** argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: deflate_rate RECORDS\n");
        return 64;
    }
    FILE* f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 66;
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    unsigned char* data = malloc((size_t)size + 1);
    if (!data || fread(data, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 66;
    }
    fclose(f);
    struct libdeflate_compressor* c = libdeflate_alloc_compressor(6);
    size_t capacity = 1 << 20;
    unsigned char* out = malloc(capacity);
    double best = -1;
    size_t in_total = 0, out_total = 0;
    for (int pass = 0; pass < 5; ++pass) {
        in_total = out_total = 0;
        double t0 = now();
        for (long at = 0; at + 4 <= size;) {
            size_t n = (size_t)data[at] | (size_t)data[at + 1] << 8 | (size_t)data[at + 2] << 16 | (size_t)data[at + 3] << 24;
            at += 4;
            if (at + (long)n > size) break;
            size_t bound = libdeflate_zlib_compress_bound(c, n);
            if (bound > capacity) {
                capacity = bound;
                out = realloc(out, capacity);
            }
            out_total += libdeflate_zlib_compress(c, data + at, n, out, capacity);
            in_total += n;
            at += (long)n;
        }
        double dt = now() - t0;
        if (best < 0 || dt < best) best = dt;
    }
    printf("%zu %zu %.6f\n", in_total, out_total, best);
    return 0;
}
