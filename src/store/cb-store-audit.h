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

#define CB_AUDIT_HASH_LENGTH 32

void       cb_audit_entry_free       (CbAuditEntry  *entry);
CbAuditEntry *cb_audit_entry_copy    (const CbAuditEntry *entry);

/* h_i from h_{i−1} (@previous) and entry i; both CB_AUDIT_HASH_LENGTH bytes. */
void       cb_store_audit_entry_hash (const guint8       *previous,
                                      const CbAuditEntry *entry,
                                      guint8             *hash);
/* Up to @limit entries after @after_seq, oldest first, a GPtrArray of
 * CbAuditEntry; @hashes (may be NULL) gets each one's hash in hex. */
GPtrArray *cb_store_audit_read       (CbStore       *store,
                                      gint64         after_seq,
                                      guint          limit,
                                      GPtrArray    **hashes,
                                      GError       **error);
/* The hash of entry @seq in hex; 64 zeros for 0, the chain's start. */
char      *cb_store_audit_hash_hex   (CbStore       *store,
                                      gint64         seq,
                                      GError       **error);
/* The last entry's number, 0 for an empty chain. */
gint64     cb_store_audit_last_seq   (CbStore       *store,
                                      GError       **error);

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
