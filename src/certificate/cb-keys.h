/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * The lab's signing keys: a demo lab makes its own CA and a signing
 * certificate signed by it; a production lab imports the ones it has (PEM
 * or PKCS#12).  Private keys are written with mode 0600 and never logged.
 * A keys folder holds ca.pem, signing.pem and signing-key.pem.
 */

gboolean  cb_keys_init        (const char  *dir,
                               const char  *lab_name,
                               GError     **error);
/* A PKCS#12 bundle (with @password) or a PEM certificate and key into @dir. */
gboolean  cb_keys_import      (const char  *dir,
                               const char  *path,
                               const char  *key_path,
                               const char  *password,
                               GError     **error);
char     *cb_keys_certificate_path (const char *dir);
char     *cb_keys_key_path    (const char *dir);

G_END_DECLS
