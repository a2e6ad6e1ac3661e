/* Sun4m IOMMU: DVMA address translation for SBus DMA masters (ESP, Lance via the DMA2 chip). */
#ifndef VT_SUN4M_IOMMU_H
#define VT_SUN4M_IOMMU_H

#include "core/device.h"

/* Translates a DVMA address; returns 0 with the physical address, or -1 (invalid entry,
 * write to a read-only page, or IOMMU disabled) after recording the fault in AFSR/AFAR. */
int vt_sun4m_iommu_translate(vt_device *iommu, uint32_t dva, bool write, vt_paddr *pa);

#endif
