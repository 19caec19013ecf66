/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-store.h"

G_BEGIN_DECLS

/*
 * Measurement standards (标准器): their status, the external certificates
 * that calibrate them (with the scan and its SHA-256, and the date that
 * drives the next-due alerts), the check that refuses an unusable standard
 * and says why, and the log of the records that used each one.
 */

typedef struct
{
  gint64  id;
  char   *asset_no;
  char   *name;
  char   *model;
  char   *serial;
  char   *range_text;
  char   *uncertainty;        /* uncertainty, accuracy class or MPE */
  char   *traceability_body;
  char   *certificate_no;
  char   *valid_until;        /* YYYY-MM-DD */
  char   *status;             /* in-service, out-of-service, under-repair */
} CbStandard;

typedef enum
{
  CB_STANDARD_USABLE,
  CB_STANDARD_DUE,             /* its certificate ran out (or it has none) */
  CB_STANDARD_OUT_OF_SERVICE,
  CB_STANDARD_UNDER_REPAIR,
} CbStandardUsability;

typedef struct
{
  gint64  id;
  gint64  standard_id;
  gint64  record_id;
  char   *used_at;
  char   *role;           /* the template's role, NULL when not given */
} CbStandardUsage;

typedef struct
{
  gint64  id;
  gint64  standard_id;
  char   *number;
  char   *issuer;
  char   *valid_until;
  char   *scan_sha256;        /* NULL without a scan */
} CbExternalCertificate;

void                  cb_standard_free                     (CbStandard             *standard);
void                  cb_standard_usage_free               (CbStandardUsage        *usage);
void                  cb_external_certificate_free         (CbExternalCertificate  *certificate);

/* Adds @standard (its id is ignored; a NULL status means in service). */
gint64                cb_store_standard_add                (CbStore                *store,
                                                            const CbStandard       *standard,
                                                            GError                **error);
CbStandard           *cb_store_standard_get                (CbStore                *store,
                                                            gint64                  standard_id,
                                                            GError                **error);
/* CbStandard by asset number. */
GPtrArray            *cb_store_standard_list               (CbStore                *store,
                                                            GError                **error);
gboolean              cb_store_standard_set_status         (CbStore                *store,
                                                            gint64                  standard_id,
                                                            const char             *status,
                                                            const char             *reason,
                                                            GError                **error);
/* Whether the standard may be used on @date (YYYY-MM-DD, NULL: today).
 * When it may not, returns the reason and sets @error (CB_STORE_ERROR_RULE)
 * to a message naming the standard and why: due on DATE, out of service or
 * under repair. */
CbStandardUsability   cb_store_standard_check_usable       (CbStore                *store,
                                                            gint64                  standard_id,
                                                            const char             *date,
                                                            GError                **error);
/* CbStandard whose certificate runs out on or before @today + @days. */
GPtrArray            *cb_store_standard_due_within         (CbStore                *store,
                                                            const char             *today,
                                                            guint                   days,
                                                            GError                **error);

/* Logs that @record_id used the standard at @used_at (ISO 8601, NULL: now). */
gint64                cb_store_standard_usage_add          (CbStore                *store,
                                                            gint64                  standard_id,
                                                            gint64                  record_id,
                                                            const char             *used_at,
                                                            GError                **error);
/* CbStandardUsage, newest first. */
GPtrArray            *cb_store_standard_usage_list         (CbStore                *store,
                                                            gint64                  standard_id,
                                                            GError                **error);

/* The standards @record_id uses now (CbStandardUsage, oldest first; a
 * replaced one is voided and not listed). */
GPtrArray            *cb_store_record_standards            (CbStore                *store,
                                                            gint64                  record_id,
                                                            GError                **error);
/* The standard @record_id uses for @role: the one chosen for it, else one
 * given when the record was started without a role; NULL when none (with
 * @error unset). */
CbStandardUsage      *cb_store_record_standard             (CbStore                *store,
                                                            gint64                  record_id,
                                                            const char             *role,
                                                            GError                **error);
/* Uses @standard_id as the record's standard for @role (a role of its
 * template): only the performer, only while the record is not approved, only
 * a standard usable today; replacing the one the role had needs a reason
 * and voids it with that reason. */
gboolean              cb_store_record_use_standard         (CbStore                *store,
                                                            gint64                  record_id,
                                                            gint64                  staff_id,
                                                            const char             *role,
                                                            gint64                  standard_id,
                                                            const char             *reason,
                                                            GError                **error);

/* Registers the standard's new calibration certificate from an outside
 * body; the standard takes its number, issuer and expiry.  @scan (a PDF or
 * image) may be NULL. */
gint64                cb_store_external_certificate_add    (CbStore                *store,
                                                            gint64                  standard_id,
                                                            const char             *number,
                                                            const char             *issuer,
                                                            const char             *valid_until,
                                                            GBytes                 *scan,
                                                            GError                **error);
/* CbExternalCertificate of the standard, latest expiry first. */
GPtrArray            *cb_store_external_certificate_list   (CbStore                *store,
                                                            gint64                  standard_id,
                                                            GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbStandard, cb_standard_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbStandardUsage, cb_standard_usage_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbExternalCertificate, cb_external_certificate_free)

G_END_DECLS
