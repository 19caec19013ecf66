/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-store.h"

G_BEGIN_DECLS

/*
 * Instrument types (name, maker, model, range, metrological
 * characteristics) and the customers' instrument ledger, with the last
 * calibration and the next due date behind the due reminders.
 */

typedef struct
{
  gint64  id;
  char   *name;
  char   *maker;
  char   *model;
  char   *range_text;
  char   *accuracy;
  char   *characteristics;
} CbInstrumentType;

typedef struct
{
  gint64  id;
  gint64  customer_id;
  gint64  type_id;          /* 0: not given */
  char   *serial;
  char   *asset_no;
  char   *last_calibrated;
  char   *next_due;
  char   *customer_name;    /* read with the entry */
  char   *type_name;
} CbLedgerEntry;

void              cb_instrument_type_free          (CbInstrumentType  *type);
void              cb_ledger_entry_free             (CbLedgerEntry     *entry);

gint64            cb_store_instrument_type_add     (CbStore           *store,
                                                    const char        *name,
                                                    const char        *maker,
                                                    const char        *model,
                                                    const char        *range_text,
                                                    const char        *accuracy,
                                                    const char        *characteristics,
                                                    GError           **error);
CbInstrumentType *cb_store_instrument_type_get     (CbStore           *store,
                                                    gint64             type_id,
                                                    GError           **error);
GPtrArray        *cb_store_instrument_type_list    (CbStore           *store,
                                                    GError           **error);

/* Dates as YYYY-MM-DD, either may be NULL; @next_due is not before
 * @last_calibrated. */
gint64            cb_store_ledger_add              (CbStore           *store,
                                                    gint64             customer_id,
                                                    gint64             type_id,
                                                    const char        *serial,
                                                    const char        *asset_no,
                                                    const char        *last_calibrated,
                                                    const char        *next_due,
                                                    GError           **error);
CbLedgerEntry    *cb_store_ledger_get              (CbStore           *store,
                                                    gint64             ledger_id,
                                                    GError           **error);
/* Records a calibration: the last date and the next due date. */
gboolean          cb_store_ledger_set_calibrated   (CbStore           *store,
                                                    gint64             ledger_id,
                                                    const char        *last_calibrated,
                                                    const char        *next_due,
                                                    const char        *reason,
                                                    GError           **error);
/* CbLedgerEntry of @customer_id (every customer when 0), by serial. */
GPtrArray        *cb_store_ledger_list             (CbStore           *store,
                                                    gint64             customer_id,
                                                    GError           **error);
/* CbLedgerEntry due on or before @today + @days (overdue ones included),
 * soonest first; @today NULL for today. */
GPtrArray        *cb_store_ledger_due_within       (CbStore           *store,
                                                    const char        *today,
                                                    guint              days,
                                                    GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbInstrumentType, cb_instrument_type_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbLedgerEntry, cb_ledger_entry_free)

G_END_DECLS
