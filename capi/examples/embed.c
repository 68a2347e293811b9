/* Embedding ferropy from C, as MicroPython's embed port is used:
 * a caller-provided heap, run some strings, deinit.
 * Build: cargo build -p ferropy-capi
 *        gcc -Icapi/include capi/examples/embed.c target/debug/libferropy_capi.a -lpthread -ldl -lm */
#include <stdio.h>
#include <string.h>

#include "ferropy.h"

static uint32_t heap[64 * 1024 / 4];

/* Output callback: prefix each chunk so the test sees it came through here. */
static void write_out(void *user, const uint8_t *data, size_t len) {
    FILE *f = (FILE *)user;
    fwrite(data, 1, len, f);
}

int main(void) {
    int stack_top;
    FerropyVm *vm = ferropy_embed_init(heap, sizeof(heap), &stack_top);
    if (vm == NULL) {
        fprintf(stderr, "init failed\n");
        return 2;
    }
    ferropy_embed_set_output(vm, write_out, stdout);
    int ok = ferropy_embed_exec_str(vm, "print('hello from', 'ferropy')\nx = [i * i for i in range(5)]");
    int ok2 = ferropy_embed_exec_str(vm, "print(sum(x))");
    int bad = ferropy_embed_exec_str(vm, "def f():\n    raise ValueError('from C')\nf()");
    int after = ferropy_embed_exec_str(vm, "print('still alive')");
    printf("status %d %d %d %d\n", ok, ok2, bad, after);
    printf("heap used>0: %d, peak>=used: %d\n", ferropy_embed_heap_used(vm) > 0,
           ferropy_embed_heap_peak(vm) >= ferropy_embed_heap_used(vm));
    printf("null args: %d %d\n", ferropy_embed_exec_str(vm, NULL), ferropy_embed_exec_str(NULL, "1"));
    ferropy_embed_deinit(vm);
    /* The heap may be reused by a new VM after deinit. */
    vm = ferropy_embed_init(heap, sizeof(heap), NULL);
    ferropy_embed_set_output(vm, write_out, stdout);
    ferropy_embed_exec_str(vm, "print('second vm', 'x' in globals())");
    ferropy_embed_deinit(vm);
    return 0;
}
