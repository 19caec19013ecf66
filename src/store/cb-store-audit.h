/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-store.h"

G_BEGIN_DECLS

/*
 * The audit trail: every audited write appends one entry per field, in the
 * same transaction, to an append-only table (SQL triggers refuse UPDATE and
 * DELETE).  Entries form a hash chain, h_i = SHA-256(h_{i−1} ‖ canonical
 * bytes of entry i), so an edit of any entry breaks every later hash.
 */

typedef struct
{
  gint64  seq;
  char   *utc;
  char   *local_time;
  char   *actor;
  char   *workstation;
  char   *table;
  gint64  row;
  char   *field;
  char   *action;       /* insert, update or void */
  char   *old_value;    /* NULL for SQL NULL */
  char   *new_value;
  char   *reason;
} CbAuditEntry;

void       cb_audit_entry_free       (CbAuditEntry  *entry);

/* Checks the whole chain; on a mismatch fails with CB_STORE_ERROR_TAMPERED
 * naming the first entry that does not match.  @n_entries may be NULL. */
gboolean   cb_store_audit_verify     (CbStore       *store,
                                      gint64        *n_entries,
                                      GError       **error);
/* Checks that every row of lab data holds what its audit trail says: names
 * the first table, row and field changed behind the store's back. */
gboolean   cb_store_audit_verify_rows (CbStore      *store,
                                       GError      **error);
/* The history of a row (or of one field when @field is set), oldest first:
 * a GPtrArray of CbAuditEntry. */
GPtrArray *cb_store_audit_history    (CbStore       *store,
                                      const char    *table,
                                      gint64         row,
                                      const char    *field,
                                      GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbAuditEntry, cb_audit_entry_free)

G_END_DECLS
