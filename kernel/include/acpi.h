/* ACPI: the tables, for power-off and for the platform's drivers. */
#ifndef NEXA_ACPI_H
#define NEXA_ACPI_H

#include <stdint.h>
#include <bootinfo.h>

/* Finds the FADT and the S5 sleep type; returns 0, or -1 if there is no ACPI. */
int acpi_init(const struct bootinfo *bi);

/*
 * The table with signature sig ("APIC", "HPET", "FACP"), its checksum and
 * length checked, through the boot map of low 4 GiB (read it before
 * anything unmaps it, or copy what you need); NULL if there is none.
 * *len (if len) gets its length.
 */
const void *acpi_table(const char *sig, uint32_t *len);

/* Enters S5 (soft off); returns only if that failed. */
void acpi_power_off(void);

#endif
