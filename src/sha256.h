/* sha256.h: SHA-256 (FIPS 180-4), the checksum of a revision script.
 *
 * Streaming: sha256_init, any number of sha256_update calls, then
 * sha256_final; sha256_hex does all three for bytes already in memory. */
#ifndef RT_SHA256_H
#define RT_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32

struct sha256 {
	uint32_t state[8];
	uint64_t total;            /* bytes hashed so far */
	unsigned char block[64];   /* a partial block, fill bytes of it */
	size_t fill;
};

void sha256_init(struct sha256 *h);
void sha256_update(struct sha256 *h, const void *data, size_t len);
/* Writes the digest; h must be initialized again before further use. */
void sha256_final(struct sha256 *h, unsigned char digest[SHA256_DIGEST_LEN]);

/* SHA-256 of bytes as 64 lowercase hex characters plus NUL. */
void sha256_hex(const void *data, size_t len, char hex[65]);

#endif
