/* ACPI: just enough of the tables to power the machine off. */
#ifndef NEXA_ACPI_H
#define NEXA_ACPI_H

#include <stdint.h>
#include <bootinfo.h>

/* Finds the FADT and the S5 sleep type; returns 0, or -1 if there is no ACPI. */
int acpi_init(const struct bootinfo *bi);

/* Enters S5 (soft off); returns only if that failed. */
void acpi_power_off(void);

#endif
