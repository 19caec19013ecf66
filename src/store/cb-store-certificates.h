/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-store.h"

G_BEGIN_DECLS

/*
 * Certificates: what a certificate states about its record (the customer,
 * the instrument, the people who signed and when, the standards used), and
 * the issued certificates themselves with their PDF and its SHA-256.
 * Issued certificates are never edited (schema 2 freezes them).
 */

typedef struct
{
  char *name;
  char *asset_no;
  char *model;
  char *serial;
  char *range_text;
  char *uncertainty;
  char *certificate_no;
  char *valid_until;
} CbCertificateStandard;

typedef struct
{
  gint64     record_id;
  char      *customer;
  char      *customer_address;
  char      *order_number;
  char      *sample_label;
  char      *instrument;
  char      *model;
  char      *serial;
  char      *maker;
  char      *range_text;
  char      *accuracy;
  char      *received;        /* YYYY-MM-DD */
  char      *method_code;
  char      *method_name;
  char      *performer;
  char      *performed_at;    /* UTC of the signature, or NULL */
  char      *checker;
  char      *checked_at;
  char      *approver;
  char      *approved_at;
  GPtrArray *standards;       /* CbCertificateStandard */
} CbCertificateFacts;

typedef struct
{
  gint64  id;
  char   *number;
  gint64  record_id;
  char   *kind;               /* original, supplement, replacement */
  gint64  replaces_id;        /* 0: none */
  char   *status;             /* draft, issued, superseded, withdrawn */
  char   *sha256;
  char   *issued_at;
  gint64  print_count;
} CbStoredCertificate;

void                  cb_certificate_facts_free          (CbCertificateFacts   *facts);
void                  cb_stored_certificate_free         (CbStoredCertificate  *certificate);

CbCertificateFacts   *cb_store_certificate_facts         (CbStore              *store,
                                                          gint64                record_id,
                                                          GError              **error);
/* The next number by the lab's rule: @prefix, the year, a sequence of
 * @digits digits ("JZ2026-000017"), one more than the highest issued. */
char                 *cb_store_certificate_next_number   (CbStore              *store,
                                                          const char           *prefix,
                                                          int                   year,
                                                          guint                 digits,
                                                          GError              **error);
/* Stores an issued certificate: @kind original, supplement (of @replaces_id,
 * which stays valid) or replacement (of @replaces_id, which becomes
 * superseded in the same transaction).  Only an approved record's. */
gint64                cb_store_certificate_issue         (CbStore              *store,
                                                          gint64                record_id,
                                                          const char           *number,
                                                          const char           *kind,
                                                          gint64                replaces_id,
                                                          GBytes               *pdf,
                                                          GError              **error);
CbStoredCertificate  *cb_store_certificate_get           (CbStore              *store,
                                                          gint64                certificate_id,
                                                          GError              **error);
/* By number, or by the SHA-256 of its PDF; 0 when there is none. */
gint64                cb_store_certificate_find_by_sha256 (CbStore             *store,
                                                          const char           *sha256,
                                                          GError              **error);
/* The record's newest issued certificate, 0 when it has none. */
gint64                cb_store_certificate_find_for_record (CbStore            *store,
                                                          gint64                record_id,
                                                          GError              **error);
GBytes               *cb_store_certificate_get_pdf       (CbStore              *store,
                                                          gint64                certificate_id,
                                                          GError              **error);
/* Withdrawn with a reason: the verification page says so. */
gboolean              cb_store_certificate_withdraw      (CbStore              *store,
                                                          gint64                certificate_id,
                                                          const char           *reason,
                                                          GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbCertificateFacts, cb_certificate_facts_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbStoredCertificate, cb_stored_certificate_free)

G_END_DECLS
