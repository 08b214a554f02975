// Placeholder so the test target builds before its issue lands; deleted by the first real test.
