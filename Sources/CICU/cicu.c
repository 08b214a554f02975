#include "cicu.h"

#include <pthread.h>
#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/uspoof.h>
#include <unicode/uversion.h>

static const UNormalizer2 *normalizer_for(cicu_form form, UErrorCode *status) {
    switch (form) {
    case CICU_NFC: return unorm2_getNFCInstance(status);
    case CICU_NFKC: return unorm2_getNFKCInstance(status);
    case CICU_NFKC_CASEFOLD: return unorm2_getNFKCCasefoldInstance(status);
    case CICU_NFD: return unorm2_getNFDInstance(status);
    }
    *status = U_ILLEGAL_ARGUMENT_ERROR;
    return NULL;
}

int32_t cicu_normalize(cicu_form form, const uint16_t *src, int32_t length, uint16_t *out, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *n = normalizer_for(form, &status);
    if (U_FAILURE(status)) return -(int32_t)status;
    int32_t needed = unorm2_normalize(n, (const UChar *)src, length, (UChar *)out, capacity, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR || status == U_STRING_NOT_TERMINATED_WARNING) return needed;
    if (U_FAILURE(status)) return -(int32_t)status;
    return needed;
}

int32_t cicu_is_normalized(cicu_form form, const uint16_t *src, int32_t length) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *n = normalizer_for(form, &status);
    if (U_FAILURE(status)) return 0;
    UBool yes = unorm2_isNormalized(n, (const UChar *)src, length, &status);
    return U_SUCCESS(status) && yes ? 1 : 0;
}

// One spoof checker for the whole process: opening one costs far more than a skeleton, and
// uspoof_getSkeleton on a configured checker is safe to call from several threads.
static USpoofChecker *shared_checker = NULL;
static UErrorCode shared_checker_status = U_ZERO_ERROR;
static pthread_once_t shared_checker_once = PTHREAD_ONCE_INIT;

static void open_shared_checker(void) {
    shared_checker = uspoof_open(&shared_checker_status);
}

int32_t cicu_skeleton(const uint16_t *src, int32_t length, uint16_t *out, int32_t capacity) {
    pthread_once(&shared_checker_once, open_shared_checker);
    if (U_FAILURE(shared_checker_status) || shared_checker == NULL) return -(int32_t)shared_checker_status;
    UErrorCode status = U_ZERO_ERROR;
    int32_t needed = uspoof_getSkeleton(shared_checker, 0, (const UChar *)src, length, (UChar *)out, capacity, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR || status == U_STRING_NOT_TERMINATED_WARNING) return needed;
    if (U_FAILURE(status)) return -(int32_t)status;
    return needed;
}

int32_t cicu_word_boundaries(const uint16_t *src, int32_t length, int32_t *boundaries, int32_t *statuses, int32_t capacity) {
    UErrorCode status = U_ZERO_ERROR;
    UBreakIterator *it = ubrk_open(UBRK_WORD, "", (const UChar *)src, length, &status);
    if (U_FAILURE(status)) return -(int32_t)status;
    int32_t count = 0;
    for (int32_t b = ubrk_first(it); b != UBRK_DONE; b = ubrk_next(it)) {
        if (count < capacity) {
            boundaries[count] = b;
            statuses[count] = ubrk_getRuleStatus(it);
        }
        count++;
    }
    ubrk_close(it);
    return count;
}

const char *cicu_version(void) {
    static char text[U_MAX_VERSION_STRING_LENGTH];
    UVersionInfo info;
    u_getVersion(info);
    u_versionToString(info, text);
    return text;
}
