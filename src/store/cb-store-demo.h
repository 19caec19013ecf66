/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-store.h"

G_BEGIN_DECLS

/* The demo staff's password, printed by `calbench-cli demo init`. */
#define CB_DEMO_PASSWORD "calbench-demo"

/* Fills an empty store with a believable laboratory through the typed
 * repositories: staff in every role with qualifications and authorisations;
 * customers with contacts, licences, prices, contracts and their instrument
 * ledger; standards with their outside certificates (a few due soon, one
 * expired, one out of service, one under repair); current and superseded
 * methods; template versions in every state; a year of orders with
 * quotations and fees, samples with their history, anomalies and photos,
 * tasks in every state (some overdue, some with delay requests), records
 * with readings and signatures, and certificates; complaints; and a year of
 * environment readings every 4 hours in three rooms.  The same every time
 * but for the dates, which follow today. */
gboolean cb_store_demo_populate (CbStore  *store,
                                 GError  **error);

G_END_DECLS
