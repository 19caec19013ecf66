/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-store-customers.h"
#include "cb-store-private.h"

void
cb_customer_free (CbCustomer *customer)
{
  if (customer == NULL)
    return;
  g_free (customer->name);
  g_free (customer->address);
  g_free (customer->phone);
  g_free (customer->credit_code);
  g_free (customer);
}

void
cb_contact_free (CbContact *contact)
{
  if (contact == NULL)
    return;
  g_free (contact->name);
  g_free (contact->phone);
  g_free (contact->email);
  g_free (contact);
}

void
cb_licence_free (CbLicence *licence)
{
  if (licence == NULL)
    return;
  g_free (licence->kind);
  g_free (licence->number);
  g_free (licence->valid_until);
  g_free (licence);
}

void
cb_price_free (CbPrice *price)
{
  if (price == NULL)
    return;
  g_free (price->item);
  g_free (price->currency);
  g_free (price->valid_from);
  g_free (price);
}

static gpointer
read_customer (sqlite3_stmt *stmt)
{
  CbCustomer *customer = g_new0 (CbCustomer, 1);

  customer->id = sqlite3_column_int64 (stmt, 0);
  customer->name = cb_store_column_dup (stmt, 1);
  customer->address = cb_store_column_dup (stmt, 2);
  customer->phone = cb_store_column_dup (stmt, 3);
  customer->credit_code = cb_store_column_dup (stmt, 4);
  return customer;
}

static gpointer
read_contact (sqlite3_stmt *stmt)
{
  CbContact *contact = g_new0 (CbContact, 1);

  contact->id = sqlite3_column_int64 (stmt, 0);
  contact->customer_id = sqlite3_column_int64 (stmt, 1);
  contact->name = cb_store_column_dup (stmt, 2);
  contact->phone = cb_store_column_dup (stmt, 3);
  contact->email = cb_store_column_dup (stmt, 4);
  return contact;
}

static gpointer
read_licence (sqlite3_stmt *stmt)
{
  CbLicence *licence = g_new0 (CbLicence, 1);

  licence->id = sqlite3_column_int64 (stmt, 0);
  licence->customer_id = sqlite3_column_int64 (stmt, 1);
  licence->kind = cb_store_column_dup (stmt, 2);
  licence->number = cb_store_column_dup (stmt, 3);
  licence->valid_until = cb_store_column_dup (stmt, 4);
  return licence;
}

#define PRICE_COLUMNS "id, item, method_id, customer_id, amount_cents, currency, valid_from"

static gpointer
read_price (sqlite3_stmt *stmt)
{
  CbPrice *price = g_new0 (CbPrice, 1);

  price->id = sqlite3_column_int64 (stmt, 0);
  price->item = cb_store_column_dup (stmt, 1);
  price->method_id = sqlite3_column_int64 (stmt, 2);
  price->customer_id = sqlite3_column_int64 (stmt, 3);
  price->amount_cents = sqlite3_column_int64 (stmt, 4);
  price->currency = cb_store_column_dup (stmt, 5);
  price->valid_from = cb_store_column_dup (stmt, 6);
  return price;
}

static gboolean
is_credit_code (const char *code)
{
  if (strlen (code) != 18)
    return FALSE;
  for (const char *p = code; *p; p++)
    if (!g_ascii_isdigit (*p) && !g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

gint64
cb_store_customer_add (CbStore     *store,
                       const char  *name,
                       const char  *address,
                       const char  *phone,
                       const char  *credit_code,
                       GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("customers");

  if (!cb_store_expect_text (name, _("customer name"), _("a non-empty name"), error))
    return 0;
  if (credit_code != NULL && !is_credit_code (credit_code))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("customer credit code: expected 18 digits or capital letters, not “%s”"), credit_code);
      return 0;
    }
  cb_store_row_text (row, "name", name);
  cb_store_row_text (row, "address", address);
  cb_store_row_text (row, "phone", phone);
  cb_store_row_text (row, "credit_code", credit_code);
  return cb_store_row_insert (store, row, NULL, error);
}

CbCustomer *
cb_store_customer_get (CbStore  *store,
                       gint64    customer_id,
                       GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT id, name, address, phone, credit_code FROM customers"
                                       " WHERE id = ?1 AND voided = 0",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  return cb_store_read_one (store, stmt, read_customer, _("customer"), customer_id, error);
}

GPtrArray *
cb_store_customer_list (CbStore     *store,
                        const char  *name_part,
                        GError     **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT id, name, address, phone, credit_code FROM customers"
                                       " WHERE voided = 0 AND (?1 IS NULL OR instr (name, ?1) > 0)"
                                       " ORDER BY name, id",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name_part, -1, SQLITE_TRANSIENT);
  return cb_store_read_all (store, stmt, read_customer, (GDestroyNotify) cb_customer_free, error);
}

gint64
cb_store_contact_add (CbStore     *store,
                      gint64       customer_id,
                      const char  *name,
                      const char  *phone,
                      const char  *email,
                      GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("contacts");

  if (!cb_store_expect_row (store, "customers", customer_id, _("contact's customer"), _("an existing customer"), error) ||
      !cb_store_expect_text (name, _("contact name"), _("a non-empty name"), error))
    return 0;
  if (email != NULL && (strchr (email, '@') == NULL || strchr (email, ' ') != NULL))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("contact email: expected an address such as name@example.com, not “%s”"), email);
      return 0;
    }
  cb_store_row_id (row, "customer_id", customer_id);
  cb_store_row_text (row, "name", name);
  cb_store_row_text (row, "phone", phone);
  cb_store_row_text (row, "email", email);
  return cb_store_row_insert (store, row, NULL, error);
}

GPtrArray *
cb_store_contact_list (CbStore  *store,
                       gint64    customer_id,
                       GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT id, customer_id, name, phone, email FROM contacts"
                                       " WHERE customer_id = ?1 AND voided = 0 ORDER BY id",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  return cb_store_read_all (store, stmt, read_contact, (GDestroyNotify) cb_contact_free, error);
}

gint64
cb_store_licence_add (CbStore     *store,
                      gint64       customer_id,
                      const char  *kind,
                      const char  *number,
                      const char  *valid_until,
                      GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("licences");

  if (!cb_store_expect_row (store, "customers", customer_id, _("licence holder"), _("an existing customer"), error) ||
      !cb_store_expect_text (kind, _("licence kind"), _("the kind of licence"), error) ||
      !cb_store_expect_text (number, _("licence number"), _("a non-empty number"), error) ||
      !cb_store_expect_date (valid_until, TRUE, _("licence valid until"), error))
    return 0;
  cb_store_row_id (row, "customer_id", customer_id);
  cb_store_row_text (row, "kind", kind);
  cb_store_row_text (row, "number", number);
  cb_store_row_text (row, "valid_until", valid_until);
  return cb_store_row_insert (store, row, NULL, error);
}

GPtrArray *
cb_store_licence_list (CbStore  *store,
                       gint64    customer_id,
                       GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT id, customer_id, kind, number, valid_until FROM licences"
                                       " WHERE customer_id = ?1 AND voided = 0 ORDER BY id",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  return cb_store_read_all (store, stmt, read_licence, (GDestroyNotify) cb_licence_free, error);
}

gint64
cb_store_price_add (CbStore     *store,
                    const char  *item,
                    gint64       method_id,
                    gint64       customer_id,
                    gint64       amount_cents,
                    const char  *valid_from,
                    GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("prices");

  if (!cb_store_expect_text (item, _("price item"), _("the name of an item"), error) ||
      !cb_store_expect_amount (amount_cents, _("price amount"), error) ||
      !cb_store_expect_date (valid_from, TRUE, _("price valid from"), error) ||
      (method_id != 0 &&
       !cb_store_expect_row (store, "methods", method_id, _("price method"), _("an existing method"), error)) ||
      (customer_id != 0 &&
       !cb_store_expect_row (store, "customers", customer_id, _("price customer"), _("an existing customer"), error)))
    return 0;
  cb_store_row_text (row, "item", item);
  cb_store_row_id (row, "method_id", method_id);
  cb_store_row_id (row, "customer_id", customer_id);
  cb_store_row_int (row, "amount_cents", amount_cents);
  cb_store_row_text (row, "valid_from", valid_from);
  return cb_store_row_insert (store, row, NULL, error);
}

GPtrArray *
cb_store_price_list (CbStore     *store,
                     const char  *item,
                     GError     **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT " PRICE_COLUMNS " FROM prices"
                                       " WHERE voided = 0 AND (?1 IS NULL OR item = ?1)"
                                       " ORDER BY item, valid_from DESC, id DESC",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, item, -1, SQLITE_TRANSIENT);
  return cb_store_read_all (store, stmt, read_price, (GDestroyNotify) cb_price_free, error);
}

CbPrice *
cb_store_price_lookup (CbStore     *store,
                       const char  *item,
                       gint64       customer_id,
                       const char  *date,
                       GError     **error)
{
  g_autofree char *today = cb_store_today ();
  sqlite3_stmt *stmt;
  CbPrice *price = NULL;
  int rc;

  if (!cb_store_expect_date (date, TRUE, _("price date"), error))
    return NULL;
  stmt = cb_store_query (store,
                         "SELECT " PRICE_COLUMNS " FROM prices"
                         " WHERE voided = 0 AND item = ?1 AND (customer_id IS NULL OR customer_id = ?2)"
                         " AND (valid_from IS NULL OR valid_from <= ?3)"
                         " ORDER BY customer_id IS NULL, valid_from DESC, id DESC LIMIT 1",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, item, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, customer_id);
  sqlite3_bind_text (stmt, 3, date != NULL ? date : today, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    price = read_price (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND,
                 _("“%s” has no price on %s"), item, date != NULL ? date : today);
  else
    cb_store_set_sqlite_error (store, error, _("prices"));
  sqlite3_finalize (stmt);
  return price;
}
