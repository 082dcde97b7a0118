// Surviving SIGBUS on a memory-mapped CSV that is truncated while it is
// read: see mapguard.h. In C because a signal handler must not run Swift
// (allocation, reference counting, locks); this one only reads atomics
// and calls mmap, which is a plain system call on Linux.
#define _GNU_SOURCE
#include "mapguard.h"
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <pthread.h>

#define SLOTS 1024

typedef struct {
    _Atomic uintptr_t base;
    _Atomic size_t length;
    _Atomic int faulted;
} slot_t;

static slot_t slots[SLOTS];
static struct sigaction previous;
static uintptr_t page_mask;
static pthread_once_t installed = PTHREAD_ONCE_INIT;

static void on_sigbus(int sig, siginfo_t *info, void *context) {
    uintptr_t at = (uintptr_t)info->si_addr;
    for (int k = 0; k < SLOTS; k++) {
        uintptr_t base = atomic_load(&slots[k].base);
        if (base == 0 || at < base) continue;
        size_t length = atomic_load(&slots[k].length);
        if (at - base >= length) continue;
        // Past a truncation every later page faults too: replace them all
        // at once rather than take a signal per page.
        uintptr_t page = at & page_mask;
        void *r = mmap((void *)page, base + length - page, PROT_READ,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (r != MAP_FAILED) {
            atomic_store(&slots[k].faulted, 1);
            return;
        }
        break;
    }
    // Not ours: the fault repeats under the handler that was there before.
    sigaction(SIGBUS, &previous, NULL);
    (void)sig; (void)context;
}

static void install(void) {
    page_mask = ~((uintptr_t)sysconf(_SC_PAGESIZE) - 1);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_sigbus;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    sigaction(SIGBUS, &action, &previous);
}

int misq_guard_register(const void *base, size_t length) {
    pthread_once(&installed, install);
    for (int k = 0; k < SLOTS; k++) {
        uintptr_t empty = 0;
        // Claim the slot with a marker that matches no address, then fill it.
        if (atomic_compare_exchange_strong(&slots[k].base, &empty, (uintptr_t)1)) {
            atomic_store(&slots[k].faulted, 0);
            atomic_store(&slots[k].length, length);
            atomic_store(&slots[k].base, (uintptr_t)base);
            return k;
        }
    }
    return -1;
}

void misq_guard_unregister(int slot) {
    if (slot < 0 || slot >= SLOTS) return;
    atomic_store(&slots[slot].length, 0);
    atomic_store(&slots[slot].base, 0);
}

int misq_guard_faulted(int slot) {
    if (slot < 0 || slot >= SLOTS) return 0;
    return atomic_load(&slots[slot].faulted);
}
