/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Signing a PDF: an incremental update adds a signature field whose value
 * holds a /ByteRange over the whole file and a detached PKCS#7 (SHA-256,
 * signing time, the signer's certificate) made with GnuTLS.  Poppler can
 * check such a signature but not make one.
 */

typedef enum
{
  CB_PDF_SIGNATURE_VALID,        /* the whole file, as signed */
  CB_PDF_SIGNATURE_NONE,         /* not signed */
  CB_PDF_SIGNATURE_CHANGED,      /* bytes under the signature were changed */
  CB_PDF_SIGNATURE_APPENDED,     /* valid, but an update was appended after it */
  CB_PDF_SIGNATURE_INVALID,      /* the signature itself does not verify (swapped, damaged) */
} CbPdfSignatureStatus;

/* @pdf signed with the certificate and key in @cert_path and @key_path
 * (PEM); the key is used in memory only. */
GBytes               *cb_pdf_sign                  (GBytes       *pdf,
                                                    const char   *cert_path,
                                                    const char   *key_path,
                                                    const char   *signer_name,
                                                    GError      **error);
/* Checks the last signature of @pdf with Poppler; @signer receives the
 * signer's name when there is one. */
CbPdfSignatureStatus  cb_pdf_check_signature       (GBytes       *pdf,
                                                    char        **signer,
                                                    GError      **error);
const char           *cb_pdf_signature_status_describe (CbPdfSignatureStatus status);

G_END_DECLS
