/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-server.h"
#include "certificate/cb-certificate.h"
#include "certificate/cb-keys.h"

/* What the server renders and signs its certificates with. */
typedef struct
{
  CbLab *lab;
  char  *keys_dir;
} Signer;

static void
signer_free (gpointer data)
{
  Signer *signer = data;

  g_clear_pointer (&signer->lab, cb_lab_free);
  g_free (signer->keys_dir);
  g_free (signer);
}

static GBytes *
render_signed (CbStore     *store,
               gint64       record_id,
               const char  *number,
               const char  *kind,
               const char  *replaces,
               gpointer     user_data,
               GError     **error)
{
  Signer *signer = user_data;
  g_autoptr(CbCertificate) certificate = NULL;

  certificate = cb_certificate_new_for_record (store, signer->lab, record_id, number, kind, replaces, error);
  if (certificate == NULL)
    return NULL;
  return cb_certificate_to_signed_pdf (certificate, signer->lab, signer->keys_dir, error);
}

gboolean
cb_server_use_certificate_keys (CbServer    *self,
                                const char  *keys_dir,
                                const char  *lab_path,
                                GError     **error)
{
  g_autofree char *certificate = NULL;
  g_autofree char *key = NULL;
  Signer *signer;
  CbLab *lab;

  g_return_val_if_fail (CB_IS_SERVER (self), FALSE);
  g_return_val_if_fail (keys_dir != NULL, FALSE);

  certificate = cb_keys_certificate_path (keys_dir);
  key = cb_keys_key_path (keys_dir);
  if (!g_file_test (certificate, G_FILE_TEST_IS_REGULAR) || !g_file_test (key, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, CB_SERVER_ERROR, CB_SERVER_ERROR_CONFIG,
                   _("[certificates] keys: %s holds no signing certificate and key "
                     "(make them with calbench-cli keys init or import)"), keys_dir);
      return FALSE;
    }
  lab = lab_path != NULL ? cb_lab_new_from_file (lab_path, error) : cb_lab_new_default ();
  if (lab == NULL)
    {
      g_prefix_error (error, "[certificates] lab: ");
      return FALSE;
    }
  signer = g_new0 (Signer, 1);
  signer->lab = lab;
  signer->keys_dir = g_strdup (keys_dir);
  cb_server_set_renderer (self, render_signed, signer, signer_free);
  return TRUE;
}
