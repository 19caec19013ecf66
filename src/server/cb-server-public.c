/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-server-private.h"
#include "store/cb-store-issuance.h"

/* The public pages: small, readable on a phone, no script, every value
 * escaped, and rate limited per client address. */

typedef struct
{
  double  tokens;
  gint64  refilled;   /* monotonic µs */
} RateBucket;

static const char stylesheet[] =
  "body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;margin:0;background:#f4f5f7;color:#1d1f23}"
  "main{max-width:34rem;margin:0 auto;padding:1rem}"
  "h1{font-size:1.3rem;margin:.5rem 0 1rem}"
  ".card{background:#fff;border-radius:.6rem;padding:1rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}"
  "dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem;margin:0}"
  "dt{color:#5b616b}dd{margin:0;word-break:break-word}"
  ".status{display:inline-block;padding:.2rem .6rem;border-radius:1rem;font-weight:600}"
  ".valid{background:#dff3e4;color:#17632e}.superseded{background:#fff1cc;color:#7a5400}"
  ".withdrawn,.mismatch{background:#fbe0e0;color:#8c1c1c}.match{background:#dff3e4;color:#17632e}"
  "ol{list-style:none;padding:0;margin:0}"
  "li{padding:.6rem 0 .6rem 2rem;position:relative;border-left:2px solid #d0d4da;margin-left:.6rem}"
  "li:before{content:'';position:absolute;left:-.55rem;top:.75rem;width:1rem;height:1rem;border-radius:50%;"
  "background:#d0d4da}"
  "li.done{border-color:#2e7d4f}li.done:before{background:#2e7d4f}"
  "footer{color:#5b616b;font-size:.85rem;margin-top:1rem}";

static gboolean
allow (CbServer          *self,
       SoupServerMessage *msg)
{
  const char *host = soup_server_message_get_remote_host (msg);
  double rate = self->config->public_rate / 60e6;   /* tokens per µs */
  gint64 now = g_get_monotonic_time ();
  RateBucket *bucket;

  if (host == NULL)
    host = "?";
  bucket = g_hash_table_lookup (self->buckets, host);
  if (bucket == NULL)
    {
      /* Bounded: forget every address rather than grow without end. */
      if (g_hash_table_size (self->buckets) > 10000)
        g_hash_table_remove_all (self->buckets);
      bucket = g_new0 (RateBucket, 1);
      bucket->tokens = self->config->public_rate;
      bucket->refilled = now;
      g_hash_table_insert (self->buckets, g_strdup (host), bucket);
    }
  bucket->tokens = MIN ((double) self->config->public_rate, bucket->tokens + (now - bucket->refilled) * rate);
  bucket->refilled = now;
  if (bucket->tokens < 1.0)
    return FALSE;
  bucket->tokens -= 1.0;
  return TRUE;
}

static void
reply_page (SoupServerMessage *msg,
            guint              status,
            const char        *title,
            const char        *content)
{
  g_autofree char *escaped_title = g_markup_escape_text (title, -1);
  g_autofree char *page = g_strdup_printf (
    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<title>%s</title><link rel=\"stylesheet\" href=\"/public.css\"></head>"
    "<body><main><h1>%s</h1><div class=\"card\">%s</div><footer>%s</footer></main></body></html>\n",
    escaped_title, escaped_title, content, _("Calbench calibration laboratory"));
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (headers, "Content-Security-Policy", "default-src 'none'; style-src 'self'");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY, page, strlen (page));
}

static void
reply_too_many (SoupServerMessage *msg)
{
  g_autofree char *text = g_markup_printf_escaped ("<p>%s</p>", _("Too many requests from your address: wait a minute and try again."));

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "60");
  reply_page (msg, 429, _("Too many requests"), text);
}

/* A customer's name partly hidden: the first and last characters stay. */
static char *
mask_name (const char *name)
{
  glong length = name != NULL ? g_utf8_strlen (name, -1) : 0;
  glong keep = length > 6 ? 2 : 1;
  GString *masked = g_string_new (NULL);
  const char *p = name;

  if (length == 0)
    return g_string_free (masked, FALSE);
  for (glong i = 0; i < length; i++, p = g_utf8_next_char (p))
    {
      if (i < keep || (length > 2 && i >= length - keep))
        g_string_append_len (masked, p, g_utf8_next_char (p) - p);
      else
        g_string_append_c (masked, '*');
    }
  return g_string_free (masked, FALSE);
}

static void
add_row (GString    *content,
         const char *label,
         const char *value)
{
  g_autofree char *row = g_markup_printf_escaped ("<dt>%s</dt><dd>%s</dd>", label, value ? value : "—");

  g_string_append (content, row);
}

static const char *
kind_text (const char *kind)
{
  if (g_strcmp0 (kind, "supplement") == 0)
    return _("Supplement");
  if (g_strcmp0 (kind, "replacement") == 0)
    return _("Replacement");
  return _("Original");
}

static void
on_verify (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  CbServer *self = user_data;
  g_autoptr(CbPublicCertificate) certificate = NULL;
  g_autoptr(GString) content = g_string_new (NULL);
  g_autofree char *number = NULL;
  g_autofree char *customer = NULL;
  g_autofree char *status = NULL;
  g_autofree char *badge = NULL;
  const char *hash = query != NULL ? g_hash_table_lookup (query, "h") : NULL;
  const char *status_class;

  if (!allow (self, msg))
    {
      reply_too_many (msg);
      return;
    }
  number = g_uri_unescape_string (path + strlen ("/verify/"), NULL);
  if (number != NULL && g_utf8_validate (number, -1, NULL) && strlen (number) <= 64)
    certificate = cb_store_certificate_public (self->store, number, NULL);
  if (certificate == NULL)
    {
      g_autofree char *text = g_markup_printf_escaped ("<p>%s</p>",
                                                       _("No certificate with this number was issued by this laboratory."));

      reply_page (msg, SOUP_STATUS_NOT_FOUND, _("Certificate not found"), text);
      return;
    }

  if (g_str_equal (certificate->status, "superseded"))
    {
      status = certificate->superseded_by
               ? g_strdup_printf (_("Superseded by %s"), certificate->superseded_by) : g_strdup (_("Superseded"));
      status_class = "superseded";
    }
  else if (g_str_equal (certificate->status, "withdrawn"))
    {
      status = g_strdup (_("Withdrawn"));
      status_class = "withdrawn";
    }
  else
    {
      status = g_strdup (_("Valid"));
      status_class = "valid";
    }
  badge = g_markup_printf_escaped ("<p><span class=\"status %s\">%s</span></p><dl>", status_class, status);
  g_string_append (content, badge);
  customer = mask_name (certificate->customer);
  add_row (content, _("Certificate number"), certificate->number);
  add_row (content, _("Kind"), kind_text (certificate->kind));
  if (certificate->replaces != NULL)
    add_row (content, g_str_equal (certificate->kind, "supplement") ? _("Supplements") : _("Replaces"),
             certificate->replaces);
  add_row (content, _("Instrument"), certificate->instrument);
  add_row (content, _("Customer"), customer);
  add_row (content, _("Calibrated on"), certificate->calibrated_on);
  /* The date a customer reads on the certificate, in the lab's time. */
  {
    g_autoptr(GDateTime) issued = certificate->issued_at != NULL
                                  ? g_date_time_new_from_iso8601 (certificate->issued_at, NULL) : NULL;
    g_autoptr(GDateTime) local = issued != NULL ? g_date_time_to_local (issued) : NULL;
    g_autofree char *date = local != NULL ? g_date_time_format (local, "%Y-%m-%d") : NULL;

    add_row (content, _("Issued on"), date != NULL ? date : certificate->issued_at);
  }
  if (hash != NULL)
    {
      gboolean matches = certificate->sha256 != NULL && g_ascii_strcasecmp (hash, certificate->sha256) == 0;
      g_autofree char *row = g_markup_printf_escaped ("<dt>%s</dt><dd><span class=\"status %s\">%s</span></dd>",
                                                      _("PDF file"), matches ? "match" : "mismatch",
                                                      certificate->sha256 == NULL ? _("No PDF is on record for this certificate")
                                                      : matches ? _("Matches the issued PDF")
                                                      : _("Does not match the issued PDF"));

      g_string_append (content, row);
    }
  g_string_append (content, "</dl>");
  reply_page (msg, SOUP_STATUS_OK, _("Certificate verification"), content->str);
}

static const char *
node_text (CbOrderNode node)
{
  switch (node)
    {
    case CB_ORDER_NODE_RECEIVED:  return _("Received");
    case CB_ORDER_NODE_ASSIGNED:  return _("Assigned");
    case CB_ORDER_NODE_TESTING:   return _("Testing");
    case CB_ORDER_NODE_CHECKING:  return _("Checking");
    case CB_ORDER_NODE_ISSUED:    return _("Certificate issued");
    case CB_ORDER_NODE_COMPLETED: return _("Completed");
    case CB_ORDER_N_NODES:
    default:                      return "";
    }
}

/* Compares without stopping at the first difference. */
static gboolean
codes_equal (const char *a,
             const char *b)
{
  gsize length = strlen (b);
  guint8 difference = 0;

  if (a == NULL || strlen (a) != length)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    difference |= (guint8) (g_ascii_toupper (a[i]) ^ b[i]);
  return difference == 0;
}

static void
on_status (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  CbServer *self = user_data;
  g_autoptr(CbPublicOrder) order = NULL;
  g_autoptr(GString) content = g_string_new (NULL);
  g_autofree char *number = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *head = NULL;
  const char *code = query != NULL ? g_hash_table_lookup (query, "code") : NULL;

  if (!allow (self, msg))
    {
      reply_too_many (msg);
      return;
    }
  number = g_uri_unescape_string (path + strlen ("/status/"), NULL);
  if (number != NULL && g_utf8_validate (number, -1, NULL) && strlen (number) <= 64)
    {
      expected = cb_server_order_code (self, number);
      /* A wrong code and a missing order look the same from outside. */
      if (codes_equal (code, expected))
        order = cb_store_order_public (self->store, number, NULL);
    }
  if (order == NULL)
    {
      g_autofree char *text = g_markup_printf_escaped ("<p>%s</p>",
                                                       _("No order matches this number and code. The code is printed on your receipt."));

      reply_page (msg, SOUP_STATUS_NOT_FOUND, _("Order not found"), text);
      return;
    }

  head = g_markup_printf_escaped ("<dl><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd></dl><ol>",
                                  _("Order number"), order->number, _("Received on"), order->received);
  g_string_append (content, head);
  if (order->cancelled)
    {
      g_autofree char *item = g_markup_printf_escaped ("<li class=\"done\">%s</li>", _("Cancelled"));

      g_string_append (content, item);
    }
  for (int node = 0; node < CB_ORDER_N_NODES; node++)
    {
      g_autofree char *item = g_markup_printf_escaped ("<li class=\"%s\">%s</li>",
                                                       order->reached[node] ? "done" : "todo", node_text (node));

      g_string_append (content, item);
    }
  g_string_append (content, "</ol>");
  reply_page (msg, SOUP_STATUS_OK, _("Order status"), content->str);
}

static void
on_stylesheet (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control", "max-age=86400");
  soup_server_message_set_response (msg, "text/css", SOUP_MEMORY_STATIC, stylesheet, strlen (stylesheet));
}

void
cb_server_add_public (CbServer *self)
{
  soup_server_add_handler (self->soup, "/verify/", on_verify, self, NULL);
  soup_server_add_handler (self->soup, "/status/", on_status, self, NULL);
  soup_server_add_handler (self->soup, "/public.css", on_stylesheet, self, NULL);
}
