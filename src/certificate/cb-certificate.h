/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "core/cb-record.h"
#include "store/cb-store-certificates.h"

G_BEGIN_DECLS

/*
 * A certificate laid out on A4 with Cairo: the same layout code renders the
 * PDF, a page for the workstation's preview (Poppler) and a page for
 * printing (GtkPrintOperation).  Chinese with English sub-labels; the lab's
 * name, address and authorisation come from a lab file (data/lab.json),
 * not from code.  Every page carries the certificate number, "page X of Y",
 * the electronic-certificate notice with the certificate's identifier, and
 * a slice of the riding-seam seal; the first page the seal and a QR code of
 * the verification URL drawn as vector squares.
 */

#define CB_CERTIFICATE_ERROR (cb_certificate_error_quark ())

typedef enum
{
  CB_CERTIFICATE_ERROR_INVALID,    /* a bad lab file, a record that cannot be certified */
  CB_CERTIFICATE_ERROR_RENDER,     /* Cairo could not draw or write the PDF */
  CB_CERTIFICATE_ERROR_SIGNATURE,  /* signing, or a signature that does not hold */
  CB_CERTIFICATE_ERROR_KEYS,       /* a key or certificate file */
} CbCertificateError;

typedef struct _CbLab CbLab;
typedef struct _CbCertificate CbCertificate;

#define CB_A4_WIDTH  595.276
#define CB_A4_HEIGHT 841.89

GQuark          cb_certificate_error_quark    (void);

CbLab          *cb_lab_new_from_file          (const char          *path,
                                               GError             **error);
CbLab          *cb_lab_new_from_data          (const char          *data,
                                               gssize               length,
                                               GError             **error);
/* The demo lab's details, built in. */
CbLab          *cb_lab_new_default            (void);
void            cb_lab_free                   (CbLab               *lab);
const char     *cb_lab_get_name               (const CbLab         *lab);
const char     *cb_lab_get_address            (const CbLab         *lab);
const char     *cb_lab_get_phone              (const CbLab         *lab);
const char     *cb_lab_get_authorisation      (const CbLab         *lab);
/* The number prefix for a kind of certificate ("JZ" for calibration). */
const char     *cb_lab_get_number_prefix      (const CbLab         *lab,
                                               CbTemplateKind       kind);

/* A certificate of @record (its template's certificate section says what
 * it shows) with @facts from the store; @kind is "original", "supplement"
 * or "replacement" (then @replaced_number names the one concerned).
 * @issued_at is the date printed (YYYY-MM-DD). */
/* Makes the certificate fonts (the lab's cut of the CJK face) known to
 * fontconfig; once per process, before the first font map a thread makes
 * (a GTK program calls it before GTK starts).  Layouts call it too. */
void            cb_certificate_load_fonts     (void);
CbCertificate  *cb_certificate_new            (const CbLab         *lab,
                                               CbRecord            *record,
                                               const CbCertificateFacts *facts,
                                               const char          *number,
                                               const char          *kind,
                                               const char          *replaced_number,
                                               const char          *issued_at,
                                               GError             **error);
/* The original record itself, laid out with the same code for printing:
 * every column of every block, the conditions, standards and signatures
 * so far; no seal, no QR code.  @label names it on every page. */
CbCertificate  *cb_certificate_new_original   (const CbLab         *lab,
                                               CbRecord            *record,
                                               const CbCertificateFacts *facts,
                                               const char          *label,
                                               GError             **error);
void            cb_certificate_free           (CbCertificate       *certificate);
/* The identifier printed on every page and in the verification URL. */
const char     *cb_certificate_get_identifier (CbCertificate       *certificate);
/* base + identifier + "?h=" and the first 16 hex digits of the identifier's
 * hash of the content: what the QR code holds. */
const char     *cb_certificate_get_url        (CbCertificate       *certificate);
guint           cb_certificate_get_n_pages    (CbCertificate       *certificate);
/* Draws page @page (from 0) at A4 size in points onto @cr. */
void            cb_certificate_render_page    (CbCertificate       *certificate,
                                               cairo_t             *cr,
                                               guint                page);
/* The unsigned PDF, with its metadata set. */
GBytes         *cb_certificate_to_pdf         (CbCertificate       *certificate,
                                               GError             **error);

/* The certificate of record @record_id of @store, laid out with its facts
 * from the store and today's date (not yet signed). */
CbCertificate  *cb_certificate_new_for_record (CbStore             *store,
                                               const CbLab         *lab,
                                               gint64               record_id,
                                               const char          *number,
                                               const char          *kind,
                                               const char          *replaced_number,
                                               GError             **error);
/* Rendered and signed with the keys in @keys_dir (cb-keys.h) in the lab's
 * name: the file to issue. */
GBytes         *cb_certificate_to_signed_pdf  (CbCertificate       *certificate,
                                               const CbLab         *lab,
                                               const char          *keys_dir,
                                               GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbLab, cb_lab_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbCertificate, cb_certificate_free)

G_END_DECLS
