/*
 * The kernel's CSPRNG (random.h). Each request runs ChaCha20 under the
 * current key with a fresh counter and first replaces the key with the
 * block's opening 32 bytes, so that a key stolen later reveals nothing
 * that was handed out before ("fast key erasure").
 */
#include <stdbool.h>
#include <stdint.h>
#include <kstring.h>
#include <random.h>
#include <arch/cpu.h>

static uint32_t key[8];
static uint64_t counter;
static bool seeded;

static inline uint32_t
rotl(uint32_t v, int n)
{
	return v << n | v >> (32 - n);
}

#define QR(a, b, c, d) do {					\
		a += b; d ^= a; d = rotl(d, 16);		\
		c += d; b ^= c; b = rotl(b, 12);		\
		a += b; d ^= a; d = rotl(d, 8);			\
		c += d; b ^= c; b = rotl(b, 7);			\
	} while (0)

/* One 64-byte ChaCha20 block of key k, block counter n and nonce (the TSC). */
static void
chacha20_block(uint32_t out[16], const uint32_t k[8], uint64_t n, uint64_t nonce)
{
	uint32_t in[16] = {
		0x61707865, 0x3320646e, 0x79622d32, 0x6b206574,
		k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7],
		(uint32_t)n, (uint32_t)(n >> 32), (uint32_t)nonce, (uint32_t)(nonce >> 32),
	};
	uint32_t x[16];

	memcpy(x, in, sizeof(x));
	for (int i = 0; i < 10; i++) {
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < 16; i++)
		out[i] = x[i] + in[i];
}

/* XORs data into the key, then runs the key through a block: nothing of it stays readable. */
static void
mix_locked(const void *data, size_t n)
{
	const uint8_t *p = data;
	uint32_t block[16];

	while (n) {
		uint8_t *k = (uint8_t *)key;
		size_t m = n < sizeof(key) ? n : sizeof(key);

		for (size_t i = 0; i < m; i++)
			k[i] ^= p[i];
		p += m;
		n -= m;
		chacha20_block(block, key, counter++, rdtsc());
		memcpy(key, block, sizeof(key));
	}
	memset(block, 0, sizeof(block));
}

/* The first seed: the hardware's random numbers, and the jitter of 256 short timings. */
static void
seed_locked(void)
{
	bool has_rdrand = cpuid(1).ecx & (1u << 30);
	bool has_rdseed = cpuid(0).eax >= 7 && (cpuid_count(7, 0).ebx & (1u << 18));
	uint64_t pool[40];

	for (int i = 0; i < 8; i++) {
		uint64_t v = 0;

		if (!(has_rdseed && cpu_random(&v, true)) && has_rdrand)
			cpu_random(&v, false);
		pool[i] = v;
	}
	for (int i = 8; i < 40; i++) {
		uint64_t acc = 0;

		for (int j = 0; j < 8; j++) {
			uint64_t t = rdtsc();
			struct cpuid_regs r = cpuid(0);	/* serialising, so its time varies */

			acc = acc * 31 + (rdtsc() - t) + r.eax;
		}
		pool[i] = acc ^ rdtsc();
	}
	mix_locked(pool, sizeof(pool));
	memset(pool, 0, sizeof(pool));
	seeded = true;
}

void
random_mix(const void *data, size_t n)
{
	uint64_t flags = irq_save();

	if (!seeded)
		seed_locked();
	mix_locked(data, n);
	irq_restore(flags);
}

void
random_bytes(void *buf, size_t n)
{
	uint8_t *out = buf;
	uint32_t block[16], k[8];
	uint64_t flags = irq_save();

	if (!seeded)
		seed_locked();
	memcpy(k, key, sizeof(k));
	uint64_t nonce = rdtsc();
	chacha20_block(block, k, 0, nonce);
	memcpy(key, block, sizeof(key));	/* the next key; the rest of the block is output */
	irq_restore(flags);

	size_t take = n < 32 ? n : 32;
	memcpy(out, (uint8_t *)block + 32, take);
	out += take;
	n -= take;
	/* More from the old key, which nobody has any more once this returns. */
	for (uint64_t c = 1; n; c++) {
		chacha20_block(block, k, c, nonce);
		take = n < 64 ? n : 64;
		memcpy(out, block, take);
		out += take;
		n -= take;
	}
	memset(block, 0, sizeof(block));
	memset(k, 0, sizeof(k));
}
