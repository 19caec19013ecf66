/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-store-orders.h"
#include "cb-store-private.h"

static const char * const order_states[] = {
  "draft", "received", "in-progress", "completed", "handed-over", "cancelled", NULL
};

void
cb_order_free (CbOrder *order)
{
  if (order == NULL)
    return;
  g_free (order->number);
  g_free (order->received);
  g_free (order->due);
  g_free (order->requirements);
  g_free (order->decision_rule);
  g_free (order->state);
  g_free (order);
}

void
cb_order_line_free (CbOrderLine *line)
{
  if (line == NULL)
    return;
  g_free (line->item);
  g_free (line->accessories);
  g_free (line);
}

void
cb_quotation_free (CbQuotation *quotation)
{
  if (quotation == NULL)
    return;
  g_free (quotation->state);
  g_free (quotation);
}

void
cb_contract_free (CbContract *contract)
{
  if (contract == NULL)
    return;
  g_free (contract->number);
  g_free (contract->signed_on);
  g_free (contract);
}

void
cb_fee_free (CbFee *fee)
{
  g_free (fee);
}

static gint64
column_int_or (sqlite3_stmt *stmt,
               int           column,
               gint64        fallback)
{
  return sqlite3_column_type (stmt, column) == SQLITE_NULL ? fallback : sqlite3_column_int64 (stmt, column);
}

#define ORDER_COLUMNS "id, number, customer_id, received, due, requirements, decision_rule, state"

static gpointer
read_order (sqlite3_stmt *stmt)
{
  CbOrder *order = g_new0 (CbOrder, 1);

  order->id = sqlite3_column_int64 (stmt, 0);
  order->number = cb_store_column_dup (stmt, 1);
  order->customer_id = sqlite3_column_int64 (stmt, 2);
  order->received = cb_store_column_dup (stmt, 3);
  order->due = cb_store_column_dup (stmt, 4);
  order->requirements = cb_store_column_dup (stmt, 5);
  order->decision_rule = cb_store_column_dup (stmt, 6);
  order->state = cb_store_column_dup (stmt, 7);
  return order;
}

static gpointer
read_line (sqlite3_stmt *stmt)
{
  CbOrderLine *line = g_new0 (CbOrderLine, 1);

  line->id = sqlite3_column_int64 (stmt, 0);
  line->order_id = sqlite3_column_int64 (stmt, 1);
  line->ledger_id = sqlite3_column_int64 (stmt, 2);
  line->item = cb_store_column_dup (stmt, 3);
  line->quantity = sqlite3_column_int64 (stmt, 4);
  line->accessories = cb_store_column_dup (stmt, 5);
  line->fee_cents = column_int_or (stmt, 6, -1);
  return line;
}

#define QUOTATION_COLUMNS "id, order_id, amount_cents, state, reviewed_by, approved_by"

static gpointer
read_quotation (sqlite3_stmt *stmt)
{
  CbQuotation *quotation = g_new0 (CbQuotation, 1);

  quotation->id = sqlite3_column_int64 (stmt, 0);
  quotation->order_id = sqlite3_column_int64 (stmt, 1);
  quotation->amount_cents = sqlite3_column_int64 (stmt, 2);
  quotation->state = cb_store_column_dup (stmt, 3);
  quotation->reviewed_by = sqlite3_column_int64 (stmt, 4);
  quotation->approved_by = sqlite3_column_int64 (stmt, 5);
  return quotation;
}

static gpointer
read_contract (sqlite3_stmt *stmt)
{
  CbContract *contract = g_new0 (CbContract, 1);

  contract->id = sqlite3_column_int64 (stmt, 0);
  contract->customer_id = sqlite3_column_int64 (stmt, 1);
  contract->number = cb_store_column_dup (stmt, 2);
  contract->signed_on = cb_store_column_dup (stmt, 3);
  contract->amount_cents = column_int_or (stmt, 4, -1);
  return contract;
}

static gpointer
read_fee (sqlite3_stmt *stmt)
{
  CbFee *fee = g_new0 (CbFee, 1);

  fee->id = sqlite3_column_int64 (stmt, 0);
  fee->order_id = sqlite3_column_int64 (stmt, 1);
  fee->contract_id = sqlite3_column_int64 (stmt, 2);
  fee->amount_cents = sqlite3_column_int64 (stmt, 3);
  fee->paid = sqlite3_column_int (stmt, 4) != 0;
  return fee;
}

char *
cb_store_order_next_number (CbStore     *store,
                            const char  *date,
                            GError     **error)
{
  g_autofree char *compact = NULL;
  g_autofree char *prefix = NULL;
  sqlite3_stmt *stmt;
  gint64 last;

  if (!cb_store_expect_date (date, FALSE, _("order date"), error))
    return NULL;
  compact = g_strdup_printf ("%.4s%.2s%.2s", date, date + 5, date + 8);
  prefix = g_strdup_printf ("WT%s-", compact);
  stmt = cb_store_query (store,
                         "SELECT MAX (CAST (substr (number, length (?1) + 1) AS INTEGER)) FROM orders"
                         " WHERE substr (number, 1, length (?1)) = ?1",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_TRANSIENT);
  last = cb_store_read_int (store, stmt, 0, NULL);
  return g_strdup_printf ("%s%04" G_GINT64_FORMAT, prefix, last + 1);
}

gint64
cb_store_order_add (CbStore     *store,
                    const char  *number,
                    gint64       customer_id,
                    const char  *received,
                    const char  *due,
                    const char  *requirements,
                    const char  *decision_rule,
                    GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("orders");
  g_autofree char *generated = NULL;

  if (!cb_store_expect_row (store, "customers", customer_id, _("order customer"), _("an existing customer"), error) ||
      !cb_store_expect_date (received, FALSE, _("order received"), error) ||
      !cb_store_expect_date (due, TRUE, _("order due"), error))
    return 0;
  if (due != NULL && g_strcmp0 (due, received) < 0)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("order due: expected a date on or after its receipt (%s), not %s"), received, due);
      return 0;
    }
  if (number == NULL)
    {
      generated = cb_store_order_next_number (store, received, error);
      if (generated == NULL)
        return 0;
      number = generated;
    }
  else if (!cb_store_expect_text (number, _("order number"), _("a non-empty number"), error))
    return 0;

  cb_store_row_text (row, "number", number);
  cb_store_row_id (row, "customer_id", customer_id);
  cb_store_row_text (row, "received", received);
  cb_store_row_text (row, "due", due);
  cb_store_row_text (row, "requirements", requirements);
  cb_store_row_text (row, "decision_rule", decision_rule);
  return cb_store_row_insert (store, row, NULL, error);
}

CbOrder *
cb_store_order_get (CbStore  *store,
                    gint64    order_id,
                    GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store, "SELECT " ORDER_COLUMNS " FROM orders WHERE id = ?1 AND voided = 0",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);
  return cb_store_read_one (store, stmt, read_order, _("order"), order_id, error);
}

GPtrArray *
cb_store_order_list (CbStore  *store,
                     gint64    customer_id,
                     GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT " ORDER_COLUMNS " FROM orders"
                                       " WHERE voided = 0 AND (?1 = 0 OR customer_id = ?1)"
                                       " ORDER BY received DESC, id DESC",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  return cb_store_read_all (store, stmt, read_order, (GDestroyNotify) cb_order_free, error);
}

gboolean
cb_store_order_set_state (CbStore     *store,
                          gint64       order_id,
                          const char  *state,
                          const char  *reason,
                          GError     **error)
{
  if (!cb_store_expect_row (store, "orders", order_id, _("order"), _("an existing order"), error) ||
      !cb_store_expect_one_of (state, order_states, _("order state"), error))
    return FALSE;
  return cb_store_update (store, "orders", order_id, "state", state, reason, error);
}

gint64
cb_store_order_line_add (CbStore     *store,
                         gint64       order_id,
                         gint64       ledger_id,
                         const char  *item,
                         gint64       quantity,
                         const char  *accessories,
                         gint64       fee_cents,
                         GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("order_lines");

  if (!cb_store_expect_row (store, "orders", order_id, _("order line's order"), _("an existing order"), error) ||
      (ledger_id != 0 &&
       !cb_store_expect_row (store, "ledger", ledger_id, _("order line instrument"), _("an existing ledger entry"), error)) ||
      !cb_store_expect_text (item, _("order line item"), _("the name of an item"), error) ||
      (fee_cents != -1 && !cb_store_expect_amount (fee_cents, _("order line fee"), error)))
    return 0;
  if (quantity < 1)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("order line quantity: expected 1 or more, not %lld"), (long long) quantity);
      return 0;
    }
  cb_store_row_id (row, "order_id", order_id);
  cb_store_row_id (row, "ledger_id", ledger_id);
  cb_store_row_text (row, "item", item);
  cb_store_row_int (row, "quantity", quantity);
  cb_store_row_text (row, "accessories", accessories);
  if (fee_cents != -1)
    cb_store_row_int (row, "fee_cents", fee_cents);
  return cb_store_row_insert (store, row, NULL, error);
}

GPtrArray *
cb_store_order_line_list (CbStore  *store,
                          gint64    order_id,
                          GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT id, order_id, ledger_id, item, quantity, accessories, fee_cents"
                                       " FROM order_lines WHERE order_id = ?1 AND voided = 0 ORDER BY id",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);
  return cb_store_read_all (store, stmt, read_line, (GDestroyNotify) cb_order_line_free, error);
}

gint64
cb_store_quotation_add (CbStore  *store,
                        gint64    order_id,
                        gint64    amount_cents,
                        GError  **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("quotations");

  if (!cb_store_expect_row (store, "orders", order_id, _("quotation order"), _("an existing order"), error) ||
      !cb_store_expect_amount (amount_cents, _("quotation amount"), error))
    return 0;
  cb_store_row_id (row, "order_id", order_id);
  cb_store_row_int (row, "amount_cents", amount_cents);
  return cb_store_row_insert (store, row, NULL, error);
}

static CbQuotation *
get_quotation (CbStore  *store,
               gint64    quotation_id,
               GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT " QUOTATION_COLUMNS " FROM quotations WHERE id = ?1 AND voided = 0",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, quotation_id);
  return cb_store_read_one (store, stmt, read_quotation, _("quotation"), quotation_id, error);
}

/* Moves a quotation from @from to @to, recording who did it in @by_field. */
static gboolean
advance_quotation (CbStore     *store,
                   gint64       quotation_id,
                   gint64       staff_id,
                   const char  *from,
                   const char  *to,
                   const char  *by_field,
                   const char  *reason,
                   GError     **error)
{
  g_autoptr(CbQuotation) quotation = get_quotation (store, quotation_id, error);

  if (quotation == NULL ||
      !cb_store_expect_row (store, "staff", staff_id, _("quotation reviewer"), _("an existing staff member"), error))
    return FALSE;
  if (!g_str_equal (quotation->state, from))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("quotation %lld is %s: only a %s quotation can become %s"),
                   (long long) quotation_id, quotation->state, from, to);
      return FALSE;
    }
  if (g_str_equal (to, "approved") && quotation->reviewed_by == staff_id)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("quotation %lld: the approver must be someone other than its reviewer"),
                   (long long) quotation_id);
      return FALSE;
    }
  if (!cb_store_begin (store, error))
    return FALSE;
  if ((by_field != NULL &&
       !cb_store_update_int (store, "quotations", quotation_id, by_field, staff_id, reason, error)) ||
      !cb_store_update (store, "quotations", quotation_id, "state", to, reason, error))
    {
      cb_store_rollback (store);
      return FALSE;
    }
  return cb_store_commit (store, error);
}

gboolean
cb_store_quotation_review (CbStore  *store,
                           gint64    quotation_id,
                           gint64    staff_id,
                           GError  **error)
{
  return advance_quotation (store, quotation_id, staff_id, "draft", "reviewed", "reviewed_by",
                            _("quotation reviewed"), error);
}

gboolean
cb_store_quotation_approve (CbStore  *store,
                            gint64    quotation_id,
                            gint64    staff_id,
                            GError  **error)
{
  return advance_quotation (store, quotation_id, staff_id, "reviewed", "approved", "approved_by",
                            _("quotation approved"), error);
}

gboolean
cb_store_quotation_reject (CbStore     *store,
                           gint64       quotation_id,
                           gint64       staff_id,
                           const char  *reason,
                           GError     **error)
{
  g_autoptr(CbQuotation) quotation = get_quotation (store, quotation_id, error);

  if (quotation == NULL)
    return FALSE;
  if (!cb_store_expect_text (reason, _("quotation rejection reason"), _("why the quotation is rejected"), error))
    return FALSE;
  if (!g_str_equal (quotation->state, "draft") && !g_str_equal (quotation->state, "reviewed"))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_RULE,
                   _("quotation %lld is %s: only a draft or reviewed quotation can be rejected"),
                   (long long) quotation_id, quotation->state);
      return FALSE;
    }
  return advance_quotation (store, quotation_id, staff_id, quotation->state, "rejected", NULL, reason, error);
}

GPtrArray *
cb_store_quotation_list (CbStore  *store,
                         gint64    order_id,
                         GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT " QUOTATION_COLUMNS " FROM quotations"
                                       " WHERE order_id = ?1 AND voided = 0 ORDER BY id",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);
  return cb_store_read_all (store, stmt, read_quotation, (GDestroyNotify) cb_quotation_free, error);
}

gint64
cb_store_contract_add (CbStore     *store,
                       gint64       customer_id,
                       const char  *number,
                       const char  *signed_on,
                       gint64       amount_cents,
                       GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("contracts");

  if (!cb_store_expect_row (store, "customers", customer_id, _("contract customer"), _("an existing customer"), error) ||
      !cb_store_expect_text (number, _("contract number"), _("a non-empty number"), error) ||
      !cb_store_expect_date (signed_on, TRUE, _("contract signed"), error) ||
      (amount_cents != -1 && !cb_store_expect_amount (amount_cents, _("contract amount"), error)))
    return 0;
  cb_store_row_id (row, "customer_id", customer_id);
  cb_store_row_text (row, "number", number);
  cb_store_row_text (row, "signed", signed_on);
  if (amount_cents != -1)
    cb_store_row_int (row, "amount_cents", amount_cents);
  return cb_store_row_insert (store, row, NULL, error);
}

GPtrArray *
cb_store_contract_list (CbStore  *store,
                        gint64    customer_id,
                        GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT id, customer_id, number, signed, amount_cents FROM contracts"
                                       " WHERE voided = 0 AND (?1 = 0 OR customer_id = ?1) ORDER BY signed DESC, id DESC",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, customer_id);
  return cb_store_read_all (store, stmt, read_contract, (GDestroyNotify) cb_contract_free, error);
}

gint64
cb_store_fee_add (CbStore  *store,
                  gint64    order_id,
                  gint64    contract_id,
                  gint64    amount_cents,
                  GError  **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("fees");

  if (order_id == 0 && contract_id == 0)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("fee: expected an order, a contract or both"));
      return 0;
    }
  if ((order_id != 0 &&
       !cb_store_expect_row (store, "orders", order_id, _("fee order"), _("an existing order"), error)) ||
      (contract_id != 0 &&
       !cb_store_expect_row (store, "contracts", contract_id, _("fee contract"), _("an existing contract"), error)) ||
      !cb_store_expect_amount (amount_cents, _("fee amount"), error))
    return 0;
  cb_store_row_id (row, "order_id", order_id);
  cb_store_row_id (row, "contract_id", contract_id);
  cb_store_row_int (row, "amount_cents", amount_cents);
  return cb_store_row_insert (store, row, NULL, error);
}

gboolean
cb_store_fee_set_paid (CbStore     *store,
                       gint64       fee_id,
                       const char  *reason,
                       GError     **error)
{
  if (!cb_store_expect_row (store, "fees", fee_id, _("fee"), _("an existing fee"), error))
    return FALSE;
  return cb_store_update (store, "fees", fee_id, "paid", "1", reason, error);
}

GPtrArray *
cb_store_fee_list (CbStore  *store,
                   gint64    order_id,
                   gint64    contract_id,
                   GError  **error)
{
  sqlite3_stmt *stmt = cb_store_query (store,
                                       "SELECT id, order_id, contract_id, amount_cents, paid FROM fees"
                                       " WHERE voided = 0 AND ((?1 <> 0 AND order_id = ?1) OR (?2 <> 0 AND contract_id = ?2))"
                                       " ORDER BY id",
                                       error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);
  sqlite3_bind_int64 (stmt, 2, contract_id);
  return cb_store_read_all (store, stmt, read_fee, (GDestroyNotify) cb_fee_free, error);
}
