/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "certificate/cb-certificate.h"

G_BEGIN_DECLS

/*
 * A certificate as it is printed: its PDF rendered with Poppler, page by
 * page, and printed with the same layout code that drew the PDF.
 */

#define CB_TYPE_CERTIFICATE_WINDOW (cb_certificate_window_get_type ())

G_DECLARE_FINAL_TYPE (CbCertificateWindow, cb_certificate_window, CB, CERTIFICATE_WINDOW, AdwWindow)

/* Takes @certificate; @pdf is its file (signed or a draft). */
CbCertificateWindow *cb_certificate_window_new        (GtkWindow     *parent,
                                                       CbCertificate *certificate,
                                                       GBytes        *pdf,
                                                       GError       **error);
guint                cb_certificate_window_get_n_pages (CbCertificateWindow *self);

G_END_DECLS
