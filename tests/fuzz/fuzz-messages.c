/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "fuzz.h"
#include "sync/cb-sync-codec.h"

/* The other JSON decoders: acks and pull pages (what a client reads from
 * the server), error bodies, and any object. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  g_autoptr(CbSyncAcks) acks = cb_sync_acks_decode (text, size, NULL);
  g_autoptr(CbSyncPage) page = cb_sync_page_decode (text, size, NULL);
  g_autoptr(JsonObject) object = cb_sync_parse_object (text, size, NULL);
  g_autoptr(GError) error = NULL;

  cb_sync_error_decode (text, size, 409, &error);
  g_assert_nonnull (error);
  if (acks != NULL)
    {
      g_autofree char *encoded = cb_sync_acks_encode (acks);
      g_autoptr(CbSyncAcks) again = cb_sync_acks_decode (encoded, strlen (encoded), NULL);

      g_assert_nonnull (again);
      g_assert_cmpuint (again->acks->len, ==, acks->acks->len);
    }
  if (page != NULL)
    {
      g_autofree char *encoded = cb_sync_page_encode (page);
      g_autoptr(CbSyncPage) again = cb_sync_page_decode (encoded, strlen (encoded), NULL);

      g_assert_nonnull (again);
      g_assert_cmpuint (again->changes->len, ==, page->changes->len);
    }
  if (object != NULL)
    {
      const char *value = NULL;
      gint64 number = 0;

      cb_sync_get_string (object, "token", NULL, TRUE, &value, NULL);
      cb_sync_get_int (object, "seq", NULL, 0, &number, NULL);
    }
  return 0;
}
