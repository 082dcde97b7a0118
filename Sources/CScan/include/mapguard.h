#ifndef MISQ_MAPGUARD_H
#define MISQ_MAPGUARD_H

#include <stddef.h>

/// Guards a read-only mapping of a file against the file being truncated
/// under it, which makes the pages past the new end raise SIGBUS. Once
/// registered, a SIGBUS inside the mapping is survived: the pages from the
/// faulting one to the mapping's end are replaced by zero pages (the read
/// is retried and sees zeros) and the mapping's flag is set, for the reader
/// to check after its pass and report the change. A SIGBUS anywhere else
/// goes to the handler that was there before. Returns a slot, or -1 when
/// every slot is taken (the mapping is then read unguarded).
int misq_guard_register(const void *base, size_t length);

/// Forgets a slot; call before unmapping.
void misq_guard_unregister(int slot);

/// Whether a SIGBUS has hit the slot's mapping since it was registered.
int misq_guard_faulted(int slot);

#endif
