// Software prefetch for the decoding kernels. Swift has no prefetch instruction of its own; a
// static inline function in a header is compiled by the Clang importer and inlined into Swift.
#pragma once

/// Asks the CPU to start loading the cache line holding `address` (for reading, kept in all cache
/// levels). It never faults, whatever the address.
static inline void prefetch_for_read(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// Like `prefetch_for_read`, for data read once and not needed again soon (non-temporal hint).
static inline void prefetch_once(const void *address) {
    __builtin_prefetch(address, 0, 0);
}
