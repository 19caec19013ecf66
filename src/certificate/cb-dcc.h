/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-certificate.h"
#include "store/cb-store.h"

G_BEGIN_DECLS

/*
 * An issued certificate as a PTB Digital Calibration Certificate (DCC
 * 3.1.2, D-SI 2.1 quantities): administrative data (the lab, the customer,
 * the item, who performed, checked and approved, the dates), the standards
 * used with their certificates, the influence conditions, every results
 * table the template puts on the certificate with its expanded uncertainty,
 * coverage factor and probability, the conformity statement with the
 * decision rule, and the signed PDF itself.
 */

/* The XML of certificate @certificate_id of @store (UTF-8); a unit with no
 * D-SI name is an error that names it. */
char       *cb_dcc_export      (CbStore      *store,
                                const CbLab  *lab,
                                gint64        certificate_id,
                                GError      **error);
/* "\\mega\\pascal" for "MPa"; NULL when the unit has no D-SI name. */
char       *cb_dcc_unit        (const char   *unit);

G_END_DECLS
