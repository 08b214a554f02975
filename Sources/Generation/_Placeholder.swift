// Placeholder so the target builds before its issue lands; deleted by the first real source file.
