/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include "store/cb-store.h"
#include "store-test-util.h"
#include "store/cb-store-audit.h"
#include "store/cb-store-customers.h"
#include "store/cb-store-instruments.h"
#include "store/cb-store-methods.h"
#include "store/cb-store-staff.h"

/* Staff, customers and their instruments: the typed repositories over the
 * audited store. */

typedef struct
{
  char    *dir;
  CbStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = store_test_make_dir ();
  path = g_build_filename (fixture->dir, "lab.db", NULL);
  fixture->store = cb_store_open (path, &error);
  g_assert_no_error (error);
  cb_store_set_actor (fixture->store, "liu.min", "reception-1");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* Whatever a test did went through the audit trail. */
  g_assert_true (cb_store_audit_verify (fixture->store, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cb_store_audit_verify_rows (fixture->store, &error));
  g_assert_no_error (error);
  g_clear_pointer (&fixture->store, cb_store_close);
  store_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
}

/* Fails unless @error has @code and names @expected. */
static void
assert_error (GError     *error,
              int         code,
              const char *expected)
{
  g_assert_nonnull (error);
  g_assert_error (error, CB_STORE_ERROR, code);
  if (strstr (error->message, expected) == NULL)
    g_error ("expected “%s” in “%s”", expected, error->message);
}

static void
test_staff (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStaff) staff = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) qualifications = NULL;
  g_autoptr(GPtrArray) authorisations = NULL;
  gint64 zhang, li;

  zhang = cb_store_staff_add (fixture->store, "zhang.wei", "张伟", NULL, &error);
  g_assert_no_error (error);
  li = cb_store_staff_add (fixture->store, "li.na", "李娜", "李 娜", &error);
  g_assert_no_error (error);
  g_assert_cmpint (cb_store_staff_add_role (fixture->store, zhang, "metrologist", &error), >, 0);
  g_assert_cmpint (cb_store_staff_add_role (fixture->store, zhang, "checker", &error), >, 0);
  g_assert_no_error (error);

  staff = cb_store_staff_get (fixture->store, zhang, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (staff->login, ==, "zhang.wei");
  g_assert_cmpstr (staff->name, ==, "张伟");
  g_assert_null (staff->printed_name);
  g_assert_true (staff->active);
  g_assert_cmpuint (g_strv_length (staff->roles), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) staff->roles, "checker"));
  g_assert_true (cb_store_staff_has_role (fixture->store, zhang, "metrologist"));
  g_assert_false (cb_store_staff_has_role (fixture->store, li, "metrologist"));
  g_assert_cmpint (cb_store_staff_find (fixture->store, "li.na", NULL), ==, li);
  g_assert_cmpint (cb_store_staff_find (fixture->store, "nobody", NULL), ==, 0);

  g_assert_cmpint (cb_store_qualification_add (fixture->store, zhang, "冀计量员证 1037", "压力", "河北省市场监督管理局",
                                               "2024-01-01", "2029-12-31", &error), >, 0);
  g_assert_no_error (error);
  qualifications = cb_store_qualification_list (fixture->store, zhang, &error);
  g_assert_cmpuint (qualifications->len, ==, 1);
  g_assert_cmpstr (((CbQualification *) qualifications->pdata[0])->valid_until, ==, "2029-12-31");

  g_assert_cmpint (cb_store_authorisation_add (fixture->store, zhang, "一般压力表", "perform",
                                               "2024-01-01", "2099-12-31", &error), >, 0);
  g_assert_cmpint (cb_store_authorisation_add (fixture->store, zhang, "一般压力表", "check",
                                               "2024-01-01", "2099-12-31", &error), >, 0);
  g_assert_no_error (error);
  authorisations = cb_store_authorisation_list (fixture->store, zhang, &error);
  g_assert_cmpuint (authorisations->len, ==, 2);
  g_assert_cmpstr (((CbAuthorisation *) authorisations->pdata[0])->kind, ==, "check");

  /* Inactive staff leave the list unless asked for. */
  g_assert_true (cb_store_staff_set_active (fixture->store, li, FALSE, "调离", &error));
  list = cb_store_staff_list (fixture->store, FALSE, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = cb_store_staff_list (fixture->store, TRUE, &error);
  g_assert_cmpuint (list->len, ==, 2);

  /* Every field of the staff row went through the audit trail. */
  {
    g_autoptr(GPtrArray) history = cb_store_audit_history (fixture->store, "staff", li, NULL, NULL);

    g_assert_cmpuint (history->len, ==, 4);
  }
}

static void
test_staff_invalid (Fixture       *fixture,
                    gconstpointer  data)
{
  gint64 zhang = cb_store_staff_add (fixture->store, "zhang.wei", "张伟", NULL, NULL);

  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (cb_store_staff_add (fixture->store, "zhang wei", "张伟", NULL, &error), ==, 0);
    assert_error (error, CB_STORE_ERROR_INVALID, "staff login: expected");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (cb_store_staff_add (fixture->store, "zhang.wei", "张伟", NULL, &error), ==, 0);
    assert_error (error, CB_STORE_ERROR_INVALID, "already taken");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (cb_store_staff_add (fixture->store, "wang.lei", " ", NULL, &error), ==, 0);
    assert_error (error, CB_STORE_ERROR_INVALID, "staff name: expected a non-empty name");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (cb_store_staff_add_role (fixture->store, zhang, "boss", &error), ==, 0);
    assert_error (error, CB_STORE_ERROR_INVALID, "staff role: expected one of reception, metrologist");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (cb_store_staff_add_role (fixture->store, 99, "checker", &error), ==, 0);
    assert_error (error, CB_STORE_ERROR_NOT_FOUND, "expected an existing staff member");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (cb_store_authorisation_add (fixture->store, zhang, "一般压力表", "sign",
                                                 "2024-01-01", "2099-12-31", &error), ==, 0);
    assert_error (error, CB_STORE_ERROR_INVALID, "authorisation kind");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (cb_store_authorisation_add (fixture->store, zhang, "一般压力表", "perform",
                                                 "2024-01-01", "2024-02-30", &error), ==, 0);
    assert_error (error, CB_STORE_ERROR_INVALID, "expected a date as YYYY-MM-DD, not “2024-02-30”");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (cb_store_qualification_add (fixture->store, zhang, "冀 0001", "压力", NULL,
                                                 "2030-01-01", "2029-12-31", &error), ==, 0);
    assert_error (error, CB_STORE_ERROR_INVALID, "on or after its start");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (cb_store_staff_get (fixture->store, 42, &error));
    assert_error (error, CB_STORE_ERROR_NOT_FOUND, "42");
  }
}

static void
test_customers (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbCustomer) customer = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GPtrArray) licences = NULL;
  gint64 tangshan, handan;

  tangshan = cb_store_customer_add (fixture->store, "唐山钢铁集团有限责任公司", "河北省唐山市路北区滨河路 9 号",
                                    "0315-2701234", "91130200104755123X", &error);
  g_assert_no_error (error);
  handan = cb_store_customer_add (fixture->store, "邯郸市热电有限责任公司", NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  customer = cb_store_customer_get (fixture->store, tangshan, &error);
  g_assert_cmpstr (customer->name, ==, "唐山钢铁集团有限责任公司");
  g_assert_cmpstr (customer->credit_code, ==, "91130200104755123X");
  list = cb_store_customer_list (fixture->store, "热电", &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (((CbCustomer *) list->pdata[0])->id, ==, handan);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = cb_store_customer_list (fixture->store, NULL, &error);
  g_assert_cmpuint (list->len, ==, 2);

  g_assert_cmpint (cb_store_contact_add (fixture->store, tangshan, "设备部 李工", "13803150001", "li@tangsteel.cn",
                                         &error), >, 0);
  g_assert_no_error (error);
  contacts = cb_store_contact_list (fixture->store, tangshan, &error);
  g_assert_cmpuint (contacts->len, ==, 1);
  g_assert_cmpstr (((CbContact *) contacts->pdata[0])->email, ==, "li@tangsteel.cn");

  g_assert_cmpint (cb_store_licence_add (fixture->store, tangshan, "营业执照", "91130200104755123X", NULL, &error), >, 0);
  g_assert_cmpint (cb_store_licence_add (fixture->store, tangshan, "排污许可证", "91130200104755123X001P",
                                         "2028-06-30", &error), >, 0);
  g_assert_no_error (error);
  licences = cb_store_licence_list (fixture->store, tangshan, &error);
  g_assert_cmpuint (licences->len, ==, 2);
  g_assert_null (((CbLicence *) licences->pdata[0])->valid_until);
}

static void
test_prices (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 customer = cb_store_customer_add (fixture->store, "沧州化工股份有限公司", NULL, NULL, NULL, NULL);
  gint64 other = cb_store_customer_add (fixture->store, "廊坊热电有限责任公司", NULL, NULL, NULL, NULL);
  gint64 method = cb_store_method_add (fixture->store, "JJG 52-2013", "弹性元件式一般压力表、压力真空表和真空表",
                                       "verification-regulation", NULL, NULL);

  g_assert_cmpint (cb_store_price_add (fixture->store, "一般压力表", method, 0, 3000, "2025-01-01", &error), >, 0);
  g_assert_cmpint (cb_store_price_add (fixture->store, "一般压力表", method, 0, 3500, "2026-01-01", &error), >, 0);
  g_assert_cmpint (cb_store_price_add (fixture->store, "一般压力表", method, customer, 2800, "2025-06-01", &error), >, 0);
  g_assert_no_error (error);

  {
    g_autoptr(CbPrice) price = cb_store_price_lookup (fixture->store, "一般压力表", other, "2025-12-31", &error);

    g_assert_no_error (error);
    g_assert_cmpint (price->amount_cents, ==, 3000);
    g_assert_cmpstr (price->currency, ==, "CNY");
  }
  {
    g_autoptr(CbPrice) price = cb_store_price_lookup (fixture->store, "一般压力表", other, "2026-03-01", &error);

    g_assert_cmpint (price->amount_cents, ==, 3500);
  }
  {
    /* The customer's own price comes first. */
    g_autoptr(CbPrice) price = cb_store_price_lookup (fixture->store, "一般压力表", customer, "2026-03-01", &error);

    g_assert_cmpint (price->amount_cents, ==, 2800);
    g_assert_cmpint (price->customer_id, ==, customer);
  }
  {
    g_autoptr(CbPrice) price = cb_store_price_lookup (fixture->store, "一般压力表", other, "2024-12-31", &error);

    g_assert_null (price);
    assert_error (error, CB_STORE_ERROR_NOT_FOUND, "no price on 2024-12-31");
    g_clear_error (&error);
  }
  list = cb_store_price_list (fixture->store, "一般压力表", &error);
  g_assert_cmpuint (list->len, ==, 3);
}

static void
test_customers_invalid (Fixture       *fixture,
                        gconstpointer  data)
{
  gint64 customer = cb_store_customer_add (fixture->store, "秦皇岛港股份有限公司", NULL, NULL, NULL, NULL);

  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (cb_store_customer_add (fixture->store, "", NULL, NULL, NULL, &error), ==, 0);
    assert_error (error, CB_STORE_ERROR_INVALID, "customer name: expected a non-empty name");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (cb_store_customer_add (fixture->store, "某公司", NULL, NULL, "1234", &error), ==, 0);
    assert_error (error, CB_STORE_ERROR_INVALID, "customer credit code: expected 18");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (cb_store_contact_add (fixture->store, 77, "王工", NULL, NULL, &error), ==, 0);
    assert_error (error, CB_STORE_ERROR_NOT_FOUND, "contact's customer: expected an existing customer");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (cb_store_contact_add (fixture->store, customer, "王工", NULL, "wang at qhd", &error), ==, 0);
    assert_error (error, CB_STORE_ERROR_INVALID, "contact email");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (cb_store_licence_add (fixture->store, customer, "营业执照", "", NULL, &error), ==, 0);
    assert_error (error, CB_STORE_ERROR_INVALID, "licence number");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (cb_store_price_add (fixture->store, "一般压力表", 0, 0, -5, NULL, &error), ==, 0);
    assert_error (error, CB_STORE_ERROR_INVALID, "price amount: expected an amount of zero or more");
  }
}

static void
test_ledger (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) due = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(CbLedgerEntry) entry = NULL;
  gint64 customer = cb_store_customer_add (fixture->store, "石家庄钢铁集团有限公司", NULL, NULL, NULL, NULL);
  gint64 gauge, dmm, a, b;

  gauge = cb_store_instrument_type_add (fixture->store, "一般压力表", "红旗仪表有限公司", "Y-100", "(0~1.6) MPa",
                                        "1.6级", NULL, &error);
  dmm = cb_store_instrument_type_add (fixture->store, "数字多用表", "是德科技", "34461A", "DCV (0~1000) V",
                                      "±(0.0035%rdg+0.0005%FS)", "6½ 位", &error);
  g_assert_no_error (error);
  {
    g_autoptr(CbInstrumentType) type = cb_store_instrument_type_get (fixture->store, dmm, &error);
    g_autoptr(GPtrArray) types = cb_store_instrument_type_list (fixture->store, &error);

    g_assert_cmpstr (type->model, ==, "34461A");
    g_assert_cmpstr (type->characteristics, ==, "6½ 位");
    g_assert_cmpuint (types->len, ==, 2);
  }

  a = cb_store_ledger_add (fixture->store, customer, gauge, "P-20419", NULL, "2025-12-01", "2026-05-31", &error);
  b = cb_store_ledger_add (fixture->store, customer, dmm, "MY60012345", "SG-0042", "2025-07-01", "2026-07-01", &error);
  cb_store_ledger_add (fixture->store, customer, gauge, "P-20420", NULL, "2025-12-01", "2026-12-01", &error);
  g_assert_no_error (error);

  /* Due within 30 days of 2026-06-10: the overdue gauge and the multimeter. */
  due = cb_store_ledger_due_within (fixture->store, "2026-06-10", 30, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (due->len, ==, 2);
  g_assert_cmpint (((CbLedgerEntry *) due->pdata[0])->id, ==, a);
  g_assert_cmpint (((CbLedgerEntry *) due->pdata[1])->id, ==, b);
  g_assert_cmpstr (((CbLedgerEntry *) due->pdata[1])->type_name, ==, "数字多用表");
  g_assert_cmpstr (((CbLedgerEntry *) due->pdata[1])->customer_name, ==, "石家庄钢铁集团有限公司");

  /* Calibrated again: no longer due. */
  g_assert_true (cb_store_ledger_set_calibrated (fixture->store, a, "2026-06-12", "2026-12-11", "本次检定合格", &error));
  g_assert_no_error (error);
  entry = cb_store_ledger_get (fixture->store, a, &error);
  g_assert_cmpstr (entry->last_calibrated, ==, "2026-06-12");
  g_assert_cmpstr (entry->next_due, ==, "2026-12-11");
  g_clear_pointer (&due, g_ptr_array_unref);
  due = cb_store_ledger_due_within (fixture->store, "2026-06-10", 30, &error);
  g_assert_cmpuint (due->len, ==, 1);

  list = cb_store_ledger_list (fixture->store, customer, &error);
  g_assert_cmpuint (list->len, ==, 3);

  {
    g_autoptr(GError) local = NULL;

    g_assert_cmpint (cb_store_ledger_add (fixture->store, customer, gauge, "P-1", NULL, "2026-01-01", "2025-01-01",
                                          &local), ==, 0);
    assert_error (local, CB_STORE_ERROR_INVALID, "ledger next due");
  }
  {
    g_autoptr(GError) local = NULL;

    g_assert_cmpint (cb_store_ledger_add (fixture->store, customer, 99, "P-1", NULL, NULL, NULL, &local), ==, 0);
    assert_error (local, CB_STORE_ERROR_NOT_FOUND, "ledger instrument type");
  }
  {
    g_autoptr(GError) local = NULL;

    g_assert_cmpint (cb_store_ledger_add (fixture->store, customer, gauge, NULL, NULL, NULL, NULL, &local), ==, 0);
    assert_error (local, CB_STORE_ERROR_INVALID, "serial number or an asset number");
  }
  {
    g_autoptr(GError) local = NULL;

    g_assert_cmpint (cb_store_instrument_type_add (fixture->store, NULL, NULL, NULL, NULL, NULL, NULL, &local), ==, 0);
    assert_error (local, CB_STORE_ERROR_INVALID, "instrument type name");
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store/staff/add-get-list", test_staff);
  ADD ("/store/staff/invalid", test_staff_invalid);
  ADD ("/store/customers/add-get-list", test_customers);
  ADD ("/store/customers/prices", test_prices);
  ADD ("/store/customers/invalid", test_customers_invalid);
  ADD ("/store/instruments/ledger", test_ledger);
#undef ADD

  return g_test_run ();
}
