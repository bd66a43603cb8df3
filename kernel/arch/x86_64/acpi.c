/*
 * The ACPI tables: found once, then read for powering off (here) and by
 * the full tree's platform drivers (acpi_table: the MADT, the HPET). The PM1a control
 * port comes from the FADT (0x604 on QEMU/SeaBIOS, 0xB004 on Bochs and on
 * QEMU pc with OVMF); the S5 sleep type from the \_S5 package in the DSDT.
 */
#include <stdbool.h>
#include <kstring.h>
#include <acpi.h>
#include <kprintf.h>
#include <layout.h>
#include <arch/io.h>
#include <arch/cpu.h>

struct rsdp {
	char signature[8];	/* "RSD PTR " */
	uint8_t checksum;
	char oem[6];
	uint8_t revision;	/* 0: ACPI 1.0, 20 bytes; 2+: 36 bytes with xsdt */
	uint32_t rsdt;
	uint32_t length;
	uint64_t xsdt;
	uint8_t ext_checksum;
	uint8_t reserved[3];
} __attribute__((packed));

struct sdt_header {
	char signature[4];
	uint32_t length;
	uint8_t revision, checksum;
	char oem[6], oem_table[8];
	uint32_t oem_revision, creator, creator_revision;
} __attribute__((packed));

/* Byte offsets in the FADT. */
#define FADT_DSDT	40
#define FADT_SMI_CMD	48
#define FADT_ACPI_ENABLE 52
#define FADT_PM1A_CNT	64
#define FADT_PM1B_CNT	68
#define FADT_X_DSDT	140

#define PM1_SCI_EN	0x0001
#define PM1_SLP_EN	0x2000
#define PM1_SLP_TYP_SHIFT 10

#define AML_NAME_OP	0x08
#define AML_PACKAGE_OP	0x12
#define AML_BYTE_PREFIX	0x0A

static struct {
	const struct rsdp *rsdp;	/* NULL: no ACPI */
	bool ok;
	uint16_t pm1a_cnt, pm1b_cnt;
	uint16_t slp_typa, slp_typb;
	uint32_t smi_cmd;
	uint8_t acpi_enable;
} acpi;

static bool
checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return sum == 0;
}

/* A table header at physical pa, if it is mapped, complete and valid. */
static const struct sdt_header *
map_table(uint64_t pa)
{
	if (!pa || pa + sizeof(struct sdt_header) > HHDM_BOOT_SIZE)
		return NULL;
	const struct sdt_header *h = phys_to_virt(pa);
	if (h->length < sizeof(*h) || pa + h->length > HHDM_BOOT_SIZE ||
	    !checksum_ok(h, h->length))
		return NULL;
	return h;
}

static const struct rsdp *
scan_rsdp(uint64_t start, uint64_t len)
{
	for (uint64_t pa = start; pa < start + len; pa += 16) {
		const struct rsdp *r = phys_to_virt(pa);

		if (!memcmp(r->signature, "RSD PTR ", 8) && checksum_ok(r, 20))
			return r;
	}
	return NULL;
}

/* The RSDP: handed over by GRUB (the only way on UEFI), or found in BIOS memory. */
static const struct rsdp *
find_rsdp(const struct bootinfo *bi)
{
	if (bi->has_rsdp) {
		const struct rsdp *r = (const void *)bi->rsdp;

		if (!memcmp(r->signature, "RSD PTR ", 8) && checksum_ok(r, 20))
			return r;
	}
	if (bi->efi)
		return NULL;
	uint64_t ebda = (uint64_t)*(const uint16_t *)phys_to_virt(0x40E) << 4;
	const struct rsdp *r = NULL;
	if (ebda >= 0x80000 && ebda < 0xA0000)
		r = scan_rsdp(ebda, 1024);
	return r ? r : scan_rsdp(0xE0000, 0x20000);
}

static const struct sdt_header *
find_table(const struct rsdp *r, const char *sig)
{
	bool x = r->revision >= 2 && r->xsdt;
	const struct sdt_header *root = map_table(x ? r->xsdt : r->rsdt);
	size_t width = x ? 8 : 4;

	if (!root)
		return NULL;
	size_t n = (root->length - sizeof(*root)) / width;
	const uint8_t *entries = (const uint8_t *)(root + 1);
	for (size_t i = 0; i < n; i++) {
		uint64_t pa = 0;

		memcpy(&pa, entries + i * width, width);
		const struct sdt_header *h = map_table(pa);
		if (h && !memcmp(h->signature, sig, 4))
			return h;
	}
	return NULL;
}

/* One small AML integer: ZeroOp, OneOp or BytePrefix n. Advances *p. */
static int
aml_small_int(const uint8_t **p, const uint8_t *end)
{
	if (*p >= end)
		return -1;
	uint8_t op = *(*p)++;
	if (op == 0x00 || op == 0x01)
		return op;
	if (op == AML_BYTE_PREFIX && *p < end)
		return *(*p)++;
	return -1;
}

/* Finds "Name(_S5_, Package(){a, b, ...})" in the DSDT's AML. */
static bool
find_s5(const struct sdt_header *dsdt)
{
	const uint8_t *p = (const uint8_t *)(dsdt + 1);
	const uint8_t *end = (const uint8_t *)dsdt + dsdt->length;

	for (; p + 8 < end; p++) {
		if (memcmp(p, "_S5_", 4) || p[4] != AML_PACKAGE_OP)
			continue;
		if (p[-1] != AML_NAME_OP && !(p[-1] == '\\' && p[-2] == AML_NAME_OP))
			continue;
		const uint8_t *q = p + 5;
		q += 1 + (*q >> 6);	/* PkgLength: 1 + (bits 7:6) bytes */
		q++;			/* NumElements */
		int a = aml_small_int(&q, end);
		int b = aml_small_int(&q, end);
		if (a < 0)
			return false;
		acpi.slp_typa = (uint16_t)a;
		acpi.slp_typb = (uint16_t)(b < 0 ? 0 : b);
		return true;
	}
	return false;
}

const void *
acpi_table(const char *sig, uint32_t *len)
{
	const struct sdt_header *h = acpi.rsdp ? find_table(acpi.rsdp, sig) : NULL;

	if (h && len)
		*len = h->length;
	return h;
}

int
acpi_init(const struct bootinfo *bi)
{
	const struct rsdp *r = find_rsdp(bi);
	acpi.rsdp = r;
	const struct sdt_header *fadt = r ? find_table(r, "FACP") : NULL;

	if (!fadt || fadt->length < FADT_PM1B_CNT + 4)
		return -1;
	const uint8_t *f = (const uint8_t *)fadt;
	uint32_t dsdt_pa = 0, pm1a = 0, pm1b = 0;
	uint64_t x_dsdt = 0;

	memcpy(&dsdt_pa, f + FADT_DSDT, 4);
	if (fadt->length >= FADT_X_DSDT + 8)
		memcpy(&x_dsdt, f + FADT_X_DSDT, 8);
	memcpy(&acpi.smi_cmd, f + FADT_SMI_CMD, 4);
	acpi.acpi_enable = f[FADT_ACPI_ENABLE];
	memcpy(&pm1a, f + FADT_PM1A_CNT, 4);
	memcpy(&pm1b, f + FADT_PM1B_CNT, 4);
	acpi.pm1a_cnt = (uint16_t)pm1a;
	acpi.pm1b_cnt = (uint16_t)pm1b;

	const struct sdt_header *dsdt = map_table(x_dsdt ? x_dsdt : dsdt_pa);
	if (!acpi.pm1a_cnt || !dsdt || !find_s5(dsdt))
		return -1;
	acpi.ok = true;
	return 0;
}

void
acpi_power_off(void)
{
	if (!acpi.ok)
		return;
	if (!(inw(acpi.pm1a_cnt) & PM1_SCI_EN) && acpi.smi_cmd && acpi.acpi_enable) {
		outb(acpi.smi_cmd, acpi.acpi_enable);
		for (int i = 0; i < 1000000 && !(inw(acpi.pm1a_cnt) & PM1_SCI_EN); i++)
			cpu_pause();
	}
	outw(acpi.pm1a_cnt, acpi.slp_typa << PM1_SLP_TYP_SHIFT | PM1_SLP_EN);
	if (acpi.pm1b_cnt)
		outw(acpi.pm1b_cnt, acpi.slp_typb << PM1_SLP_TYP_SHIFT | PM1_SLP_EN);
}
