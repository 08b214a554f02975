// A small, version-free C interface to the parts of ICU copygen uses.
//
// ICU's own headers rename every function per release (unorm2_normalize -> unorm2_normalize_72),
// which Swift cannot see through. This shim includes ICU only in its .c file and exports plain
// functions over UTF-16 buffers, so Swift never meets a version number.
//
// Length protocol: every function writes at most `capacity` units into `out` and returns the length
// the full result needs. A return larger than `capacity` means "call again with a bigger buffer".
// A negative return is an ICU error code (negated), which the caller reports.
#ifndef CICU_H
#define CICU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    CICU_NFC = 0,
    CICU_NFKC = 1,
    CICU_NFKC_CASEFOLD = 2,
    CICU_NFD = 3,
} cicu_form;

/// Normalizes `src` (UTF-16) into the given form.
int32_t cicu_normalize(cicu_form form, const uint16_t *src, int32_t length, uint16_t *out, int32_t capacity);

/// 1 when `src` is already in the given form (a quick check that lets callers skip the copy).
int32_t cicu_is_normalized(cicu_form form, const uint16_t *src, int32_t length);

/// UTS #39 confusable skeleton of `src` ("ѕhіt" and "ｓｈｉｔ" both give "shit"). It does not fold
/// case: compare skeleton(nfkcCasefold(x)) on both sides. One checker is opened once per process.
int32_t cicu_skeleton(const uint16_t *src, int32_t length, uint16_t *out, int32_t capacity);

/// Word boundaries of `src` by ICU's word break iterator (root locale).
/// Writes up to `capacity` boundary offsets (UTF-16 units, including 0 and `length`) into
/// `boundaries` and the rule status of the segment that ends at each boundary into `statuses`
/// (status >= 100 marks a word-like segment: letters, numbers, kana, ideographs).
/// Returns the number of boundaries.
int32_t cicu_word_boundaries(const uint16_t *src, int32_t length, int32_t *boundaries, int32_t *statuses, int32_t capacity);

/// The ICU version string, e.g. "72.1".
const char *cicu_version(void);

#ifdef __cplusplus
}
#endif

#endif
