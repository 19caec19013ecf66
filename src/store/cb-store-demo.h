/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-store.h"

G_BEGIN_DECLS

/* The demo staff's password, printed by `calbench-cli demo init`. */
#define CB_DEMO_PASSWORD "calbench-demo"

/* Fills an empty store with a believable laboratory: staff in every role
 * with authorisations, customers and their instrument ledger, standards (a
 * few due soon, one expired, one out of service), current and withdrawn
 * methods, and a year of orders, samples, tasks, records and certificates
 * in every state.  The same every time. */
gboolean cb_store_demo_populate (CbStore  *store,
                                 GError  **error);

G_END_DECLS
