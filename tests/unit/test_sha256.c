/* Unit tests for sha256.c: the FIPS 180-2 / NIST examples, messages
 * around the padding boundaries, and streaming in uneven pieces. */

#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "tap.h"

static void hex_of(const unsigned char md[SHA256_DIGEST_LEN], char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < SHA256_DIGEST_LEN; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
}

/* The message fed in pieces of 1, 2, 3, … bytes (wrapping at 97). */
static void streamed_hex(const unsigned char *msg, size_t len, char hex[65])
{
	struct sha256 h;
	unsigned char md[SHA256_DIGEST_LEN];
	sha256_init(&h);
	size_t piece = 1;
	for (size_t off = 0; off < len; off += piece, piece = piece % 97 + 1) {
		if (piece > len - off)
			piece = len - off;
		sha256_update(&h, msg + off, piece);
	}
	sha256_update(&h, msg, 0);
	sha256_final(&h, md);
	hex_of(md, hex);
}

/* Bytes (7i + 3) mod 256: every byte value, no period of a block. */
static unsigned char *pattern(size_t len)
{
	unsigned char *p = malloc(len ? len : 1);
	for (size_t i = 0; i < len; i++)
		p[i] = (unsigned char)((i * 7 + 3) % 256);
	return p;
}

static void nist_examples(void)
{
	static const struct {
		const char *msg, *want, *name;
	} cases[] = {
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		 "the empty message"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		 "abc (one block)"},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
		 "the 448-bit message (two blocks)"},
		{"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		 "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		 "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
		 "the 896-bit message"},
	};
	char hex[65];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		sha256_hex(cases[i].msg, strlen(cases[i].msg), hex);
		is_str(hex, cases[i].want, "%s", cases[i].name);
		streamed_hex((const unsigned char *)cases[i].msg, strlen(cases[i].msg), hex);
		is_str(hex, cases[i].want, "%s, streamed", cases[i].name);
	}
}

static void million_a(void)
{
	static const char want[] =
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	size_t len = 1000000;
	char *msg = malloc(len);
	memset(msg, 'a', len);
	char hex[65];
	sha256_hex(msg, len, hex);
	is_str(hex, want, "one million 'a'");
	struct sha256 h;
	unsigned char md[SHA256_DIGEST_LEN];
	sha256_init(&h);
	for (size_t off = 0; off < len; off += 1000)
		sha256_update(&h, msg + off, 1000);
	sha256_final(&h, md);
	hex_of(md, hex);
	is_str(hex, want, "one million 'a', 1,000 at a time");
	free(msg);
}

/* Lengths where the padding needs one block or two (55 bytes is the
 * longest tail that still fits the length; 56 is the first that does
 * not), whole blocks, and several blocks. */
static void padding_boundaries(void)
{
	static const struct {
		size_t len;
		const char *want;
	} cases[] = {
		{55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b"},
		{56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27"},
		{57, "35df609437dcfea3279283ab79fd554e2bf78f8f7ae2de532d8ee300b09e8f73"},
		{63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055"},
		{64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241"},
		{65, "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e"},
		{119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e"},
		{120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5"},
		{128, "d2742f1f4ac6bb7ca2b239ee18402ba8b3f9f8e652d2a72973c2b9ba11c08cf6"},
		{1000, "1e9bc38cbf860b9ec31918b065f9b52476c549a782e0e7990bed8ce3868d2371"},
	};
	char hex[65];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		unsigned char *msg = pattern(cases[i].len);
		sha256_hex(msg, cases[i].len, hex);
		is_str(hex, cases[i].want, "%zu bytes", cases[i].len);
		streamed_hex(msg, cases[i].len, hex);
		is_str(hex, cases[i].want, "%zu bytes, streamed", cases[i].len);
		free(msg);
	}
}

int main(void)
{
	nist_examples();
	million_a();
	padding_boundaries();
	return done_testing();
}
