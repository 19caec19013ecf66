/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include "store/cb-store.h"
#include "store-test-util.h"
#include "store/cb-store-audit.h"
#include "store/cb-store-complaints.h"
#include "store/cb-store-customers.h"
#include "store/cb-store-environment.h"
#include "store/cb-store-methods.h"
#include "store/cb-store-orders.h"
#include "store/cb-store-standards.h"
#include "store/cb-store-staff.h"
#include "core/cb-template.h"
#include "store/cb-store-templates.h"

/* The shipped pressure-gauge template, its title marked with @edition so that
 * versions differ. */
static char *
gauge_document (guint edition)
{
  g_autoptr(CbTemplate) tmpl = cb_template_new_shipped ("jjg52-2013-pressure-gauge", NULL);
  g_autofree char *text = cb_template_to_data (tmpl);
  g_autofree char *mark = g_strdup_printf ("原始记录（第%u版）", edition);
  g_auto(GStrv) parts = g_strsplit (text, "原始记录", 2);

  return g_strjoin (mark, parts[0], parts[1], NULL);
}

/* What keeps the work sound: methods, standards and their certificates,
 * record templates, the environment log and complaints. */

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
  cb_store_set_actor (fixture->store, "zhou.jian", "quality-1");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_store_audit_verify (fixture->store, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cb_store_audit_verify_rows (fixture->store, &error));
  g_assert_no_error (error);
  g_clear_pointer (&fixture->store, cb_store_close);
  store_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
}

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
test_methods (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbMethod) method = NULL;
  g_autoptr(GPtrArray) current = NULL;
  g_autoptr(GPtrArray) all = NULL;
  gint64 old, now, dmm;

  old = cb_store_method_add (fixture->store, "JJG 52-1999", "弹簧管式一般压力表、压力真空表和真空表",
                             "verification-regulation", "2000-05-01", &error);
  now = cb_store_method_add (fixture->store, "JJG 52-2013", "弹性元件式一般压力表、压力真空表和真空表",
                             "verification-regulation", "2013-12-01", &error);
  dmm = cb_store_method_add (fixture->store, "JJF 1587-2016", "数字多用表校准规范", "calibration-specification",
                             NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dmm, >, 0);

  g_assert_cmpint (cb_store_method_add (fixture->store, "JJG 52-2013", "重复", "verification-regulation", NULL, &error),
                   ==, 0);
  assert_error (error, CB_STORE_ERROR_INVALID, "already a current method");
  g_clear_error (&error);
  g_assert_cmpint (cb_store_method_add (fixture->store, "Q/XX 1-2020", "企业方法", "company", NULL, &error), ==, 0);
  assert_error (error, CB_STORE_ERROR_INVALID, "method kind: expected one of verification-regulation");
  g_clear_error (&error);

  g_assert_true (cb_store_method_withdraw (fixture->store, old, "2014-06-01", now, "JJG 52-2013 代替", &error));
  g_assert_no_error (error);
  method = cb_store_method_get (fixture->store, old, &error);
  g_assert_cmpstr (method->status, ==, "superseded");
  g_assert_cmpint (method->superseded_by, ==, now);
  g_assert_cmpstr (method->withdrawn_on, ==, "2014-06-01");
  g_assert_false (cb_store_method_withdraw (fixture->store, old, "2015-01-01", 0, "again", &error));
  assert_error (error, CB_STORE_ERROR_RULE, "already superseded");
  g_clear_error (&error);

  g_assert_cmpint (cb_store_method_find_current (fixture->store, "JJG 52-2013", NULL), ==, now);
  g_assert_cmpint (cb_store_method_find_current (fixture->store, "JJG 52-1999", NULL), ==, 0);
  current = cb_store_method_list (fixture->store, FALSE, &error);
  all = cb_store_method_list (fixture->store, TRUE, &error);
  g_assert_cmpuint (current->len, ==, 2);
  g_assert_cmpuint (all->len, ==, 3);
}

static gint64
add_standard (Fixture    *fixture,
              const char *asset_no,
              const char *valid_until,
              const char *status)
{
  g_autoptr(GError) error = NULL;
  CbStandard standard = { 0 };
  gint64 id;

  standard.asset_no = (char *) asset_no;
  standard.name = (char *) "精密数字压力计";
  standard.model = (char *) "ConST211";
  standard.range_text = (char *) "(0~10) MPa";
  standard.uncertainty = (char *) "0.02级";
  standard.traceability_body = (char *) "河北省计量监督检测研究院";
  standard.certificate_no = (char *) "冀计校字〔2025〕第 0117 号";
  standard.valid_until = (char *) valid_until;
  standard.status = (char *) status;
  id = cb_store_standard_add (fixture->store, &standard, &error);
  g_assert_no_error (error);
  return id;
}

static void
test_standards_usability (Fixture       *fixture,
                          gconstpointer  data)
{
  gint64 good = add_standard (fixture, "BZ-0001", "2026-12-31", NULL);
  gint64 due = add_standard (fixture, "BZ-0002", "2026-11-10", NULL);
  gint64 out = add_standard (fixture, "BZ-0003", "2027-03-31", "out-of-service");
  gint64 repair = add_standard (fixture, "BZ-0004", "2027-03-31", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_store_standard_set_status (fixture->store, repair, "under-repair", "压力传感器零点漂移", &error));
  g_assert_no_error (error);

  g_assert_cmpint (cb_store_standard_check_usable (fixture->store, good, "2026-11-23", &error), ==, CB_STANDARD_USABLE);
  g_assert_no_error (error);
  /* The last day of validity still counts. */
  g_assert_cmpint (cb_store_standard_check_usable (fixture->store, due, "2026-11-10", &error), ==, CB_STANDARD_USABLE);
  g_assert_cmpint (cb_store_standard_check_usable (fixture->store, due, "2026-11-23", &error), ==, CB_STANDARD_DUE);
  assert_error (error, CB_STORE_ERROR_RULE, "BZ-0002 (精密数字压力计) was due for calibration on 2026-11-10");
  g_clear_error (&error);
  g_assert_cmpint (cb_store_standard_check_usable (fixture->store, out, "2026-11-23", &error), ==,
                   CB_STANDARD_OUT_OF_SERVICE);
  assert_error (error, CB_STORE_ERROR_RULE, "BZ-0003 (精密数字压力计) is out of service");
  g_clear_error (&error);
  g_assert_cmpint (cb_store_standard_check_usable (fixture->store, repair, "2026-11-23", &error), ==,
                   CB_STANDARD_UNDER_REPAIR);
  assert_error (error, CB_STORE_ERROR_RULE, "BZ-0004 (精密数字压力计) is under repair");
  g_clear_error (&error);

  {
    g_autoptr(GPtrArray) soon = cb_store_standard_due_within (fixture->store, "2026-11-23", 60, &error);

    /* The expired one and the one due in December; not the one out of service. */
    g_assert_cmpuint (soon->len, ==, 2);
    g_assert_cmpint (((CbStandard *) soon->pdata[0])->id, ==, due);
  }
  {
    g_autoptr(GPtrArray) all = cb_store_standard_list (fixture->store, &error);

    g_assert_cmpuint (all->len, ==, 4);
  }
  {
    CbStandard twice = { 0 };

    twice.asset_no = (char *) "BZ-0001";
    twice.name = (char *) "活塞式压力计";
    g_assert_cmpint (cb_store_standard_add (fixture->store, &twice, &error), ==, 0);
    assert_error (error, CB_STORE_ERROR_INVALID, "standard asset number: BZ-0001 is already taken");
    g_clear_error (&error);
  }
  g_assert_false (cb_store_standard_set_status (fixture->store, good, "lent", "?", &error));
  assert_error (error, CB_STORE_ERROR_INVALID, "standard status");
}

static void
test_external_certificates (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) scan = g_bytes_new_static ("%PDF-1.7\n% scanned certificate\n", 31);
  g_autofree char *digest = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, scan);
  g_autoptr(GPtrArray) certificates = NULL;
  g_autoptr(CbStandard) standard = NULL;
  gint64 due = add_standard (fixture, "BZ-0002", "2026-11-10", NULL);

  g_assert_cmpint (cb_store_external_certificate_add (fixture->store, due, "国计校字〔2026〕第 2318 号", "中国计量科学研究院",
                                                      "2027-11-19", scan, &error), >, 0);
  g_assert_no_error (error);
  /* The standard takes the new certificate and is usable again. */
  standard = cb_store_standard_get (fixture->store, due, &error);
  g_assert_cmpstr (standard->certificate_no, ==, "国计校字〔2026〕第 2318 号");
  g_assert_cmpstr (standard->valid_until, ==, "2027-11-19");
  g_assert_cmpstr (standard->traceability_body, ==, "中国计量科学研究院");
  g_assert_cmpint (cb_store_standard_check_usable (fixture->store, due, "2026-11-23", NULL), ==, CB_STANDARD_USABLE);

  g_assert_cmpint (cb_store_external_certificate_add (fixture->store, due, "冀计校字〔2025〕第 0117 号", NULL,
                                                      "2026-11-10", NULL, &error), >, 0);
  certificates = cb_store_external_certificate_list (fixture->store, due, &error);
  g_assert_cmpuint (certificates->len, ==, 2);
  g_assert_cmpstr (((CbExternalCertificate *) certificates->pdata[0])->scan_sha256, ==, digest);
  g_assert_null (((CbExternalCertificate *) certificates->pdata[1])->scan_sha256);

  g_assert_cmpint (cb_store_external_certificate_add (fixture->store, due, "X", NULL, "next year", NULL, &error), ==, 0);
  assert_error (error, CB_STORE_ERROR_INVALID, "certificate valid until: expected a date");
}

static void
test_usage_log (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 standard = add_standard (fixture, "BZ-0001", "2026-12-31", NULL);

  /* A usage names a record; without one it is refused. */
  g_assert_cmpint (cb_store_standard_usage_add (fixture->store, standard, 12, NULL, &error), ==, 0);
  assert_error (error, CB_STORE_ERROR_NOT_FOUND, "standard used in record: expected an existing record");
  g_clear_error (&error);
  {
    g_autoptr(GPtrArray) usage = cb_store_standard_usage_list (fixture->store, standard, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (usage->len, ==, 0);
  }

  /* A record to use it in. */
  {
    gint64 author = cb_store_staff_add (fixture->store, "zhang.wei", "张伟", NULL, NULL);
    gint64 customer = cb_store_customer_add (fixture->store, "承德钢铁集团有限公司", NULL, NULL, NULL, NULL);
    gint64 order = cb_store_order_add (fixture->store, NULL, customer, "2026-11-20", NULL, NULL, NULL, NULL);
    gint64 template_ = cb_store_template_add (fixture->store, "一般压力表检定原始记录", "一般压力表", 0, NULL);
    g_autofree char *document = gauge_document (1);
    gint64 version = cb_store_template_version_add (fixture->store, template_, author, document, NULL);
    g_autofree char *version_text = g_strdup_printf ("%" G_GINT64_FORMAT, version);
    g_autofree char *sample_text = NULL;
    g_autofree char *task_text = NULL;
    g_autofree char *record_text = NULL;
    g_autoptr(GPtrArray) usage = NULL;
    const char *fields[] = { "order_id", "label", "name" };
    const char *values[] = { NULL, "YP20261120-0001", "一般压力表" };
    g_autofree char *order_text = g_strdup_printf ("%" G_GINT64_FORMAT, order);
    gint64 sample, record;

    values[0] = order_text;
    sample = cb_store_insert (fixture->store, "samples", fields, values, 3, NULL, &error);
    g_assert_no_error (error);
    sample_text = g_strdup_printf ("%" G_GINT64_FORMAT, sample);
    task_text = g_strdup_printf ("%" G_GINT64_FORMAT,
                                 cb_store_insert (fixture->store, "tasks", (const char *[]) { "sample_id", "item" },
                                                  (const char *[]) { sample_text, "一般压力表" }, 2, NULL, &error));
    g_assert_no_error (error);
    record = cb_store_insert (fixture->store, "records", (const char *[]) { "task_id", "template_version_id" },
                              (const char *[]) { task_text, version_text }, 2, NULL, &error);
    g_assert_no_error (error);
    record_text = g_strdup_printf ("%" G_GINT64_FORMAT, record);

    g_assert_cmpint (cb_store_standard_usage_add (fixture->store, standard, record, "2026-11-21T09:00:00+08:00", &error), >, 0);
    g_assert_cmpint (cb_store_standard_usage_add (fixture->store, standard, record, NULL, &error), >, 0);
    g_assert_no_error (error);
    usage = cb_store_standard_usage_list (fixture->store, standard, &error);
    g_assert_cmpuint (usage->len, ==, 2);
    g_assert_cmpstr (((CbStandardUsage *) usage->pdata[1])->used_at, ==, "2026-11-21T01:00:00Z");
    g_assert_cmpint (((CbStandardUsage *) usage->pdata[1])->record_id, ==, record);
  }
}

static void
test_template_lifecycle (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStoredTemplateVersion) version = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  gint64 author = cb_store_staff_add (fixture->store, "zhang.wei", "张伟", NULL, NULL);
  gint64 approver = cb_store_staff_add (fixture->store, "wu.hong", "吴红", NULL, NULL);
  gint64 author_approver = cb_store_staff_add (fixture->store, "zhou.jian", "周建", NULL, NULL);
  gint64 template_, first, second;
  g_autofree char *edition_1 = gauge_document (1);
  g_autofree char *edition_2 = gauge_document (2);
  g_autofree char *edition_3 = gauge_document (3);

  cb_store_staff_add_role (fixture->store, approver, "approver", NULL);
  cb_store_staff_add_role (fixture->store, author_approver, "approver", NULL);
  template_ = cb_store_template_add (fixture->store, "一般压力表检定原始记录", "一般压力表", 0, &error);
  g_assert_no_error (error);
  /* A document the record engine refuses is refused here, with its reason. */
  g_assert_cmpint (cb_store_template_version_add (fixture->store, template_, author_approver, "{\"points\": 5}",
                                                  &error), ==, 0);
  assert_error (error, CB_STORE_ERROR_INVALID, "template document: template: unknown field 'points'");
  g_clear_error (&error);
  first = cb_store_template_version_add (fixture->store, template_, author_approver, edition_1, &error);
  g_assert_no_error (error);

  /* Only the author edits and submits; a draft cannot be approved. */
  g_assert_false (cb_store_template_version_approve (fixture->store, first, approver, &error));
  assert_error (error, CB_STORE_ERROR_RULE, "is draft: only a submitted version");
  g_clear_error (&error);
  g_assert_false (cb_store_template_version_edit (fixture->store, first, approver, edition_2, "改", &error));
  assert_error (error, CB_STORE_ERROR_RULE, "only its author edits it");
  g_clear_error (&error);
  g_assert_true (cb_store_template_version_edit (fixture->store, first, author_approver, edition_2,
                                                 "增加一个检定点", &error));
  g_assert_true (cb_store_template_version_submit (fixture->store, first, author_approver, &error));
  g_assert_no_error (error);

  /* The author cannot approve their own version, even as an approver. */
  g_assert_false (cb_store_template_version_approve (fixture->store, first, author_approver, &error));
  assert_error (error, CB_STORE_ERROR_RULE, "its author cannot approve it");
  g_clear_error (&error);
  /* Nor can someone without the approver role. */
  g_assert_false (cb_store_template_version_approve (fixture->store, first, author, &error));
  assert_error (error, CB_STORE_ERROR_PERMISSION, "is not an approver");
  g_clear_error (&error);
  g_assert_true (cb_store_template_version_approve (fixture->store, first, approver, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cb_store_template_current_version (fixture->store, template_, NULL), ==, first);
  version = cb_store_template_version_get (fixture->store, first, &error);
  g_assert_cmpstr (version->state, ==, "approved");
  g_assert_cmpint (version->approved_by, ==, approver);
  g_assert_nonnull (version->approved_at);
  g_assert_cmpstr (version->document, ==, edition_2);

  /* Version 2: sent back once, then approved, which retires version 1. */
  second = cb_store_template_version_add (fixture->store, template_, author, edition_3, &error);
  g_assert_true (cb_store_template_version_submit (fixture->store, second, author, &error));
  g_assert_false (cb_store_template_version_reject (fixture->store, second, approver, "", &error));
  assert_error (error, CB_STORE_ERROR_INVALID, "template rejection reason");
  g_clear_error (&error);
  g_assert_true (cb_store_template_version_reject (fixture->store, second, approver, "缺少回程误差列", &error));
  g_assert_true (cb_store_template_version_submit (fixture->store, second, author, &error));
  g_assert_true (cb_store_template_version_approve (fixture->store, second, author_approver, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cb_store_template_current_version (fixture->store, template_, NULL), ==, second);
  versions = cb_store_template_version_list (fixture->store, template_, &error);
  g_assert_cmpuint (versions->len, ==, 2);
  g_assert_cmpint (((CbStoredTemplateVersion *) versions->pdata[1])->version, ==, 2);
  g_assert_cmpstr (((CbStoredTemplateVersion *) versions->pdata[0])->state, ==, "retired");

  g_assert_true (cb_store_template_version_retire (fixture->store, second, "规程换版", &error));
  g_assert_cmpint (cb_store_template_current_version (fixture->store, template_, NULL), ==, 0);
  g_assert_false (cb_store_template_version_retire (fixture->store, second, "again", &error));
  assert_error (error, CB_STORE_ERROR_RULE, "is retired");
  g_clear_error (&error);

  templates = cb_store_template_list (fixture->store, "一般压力表", &error);
  g_assert_cmpuint (templates->len, ==, 1);
  g_assert_cmpint (cb_store_template_add (fixture->store, "记录", "", 0, &error), ==, 0);
  assert_error (error, CB_STORE_ERROR_INVALID, "template item");
}

static void
test_environment (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) day = NULL;

  for (guint h = 0; h < 24; h += 4)
    {
      g_autofree char *at = g_strdup_printf ("2026-11-23T%02u:00:00+08:00", h);
      g_autofree char *t = g_strdup_printf ("20.%u", h / 4);

      g_assert_cmpint (cb_store_environment_add (fixture->store, "压力室 1", "TH-01", at, t, "45", "101.3", &error), >, 0);
      g_assert_cmpint (cb_store_environment_add (fixture->store, "电学室", "TH-02", at, "22.0", "50", NULL, &error), >, 0);
    }
  g_assert_no_error (error);

  {
    /* 10:30 Beijing time: the 08:00 reading. */
    g_autoptr(CbEnvironmentReading) reading = cb_store_environment_at (fixture->store, "压力室 1",
                                                                       "2026-11-23T10:30:00+08:00", 0, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (reading->temperature, ==, "20.2");
    g_assert_cmpstr (reading->measured_at, ==, "2026-11-23T00:00:00Z");
    g_assert_cmpstr (reading->sensor, ==, "TH-01");
  }
  {
    /* Exactly at a reading. */
    g_autoptr(CbEnvironmentReading) reading = cb_store_environment_at (fixture->store, "压力室 1",
                                                                       "2026-11-23T04:00:00Z", 0, &error);

    g_assert_cmpstr (reading->temperature, ==, "20.3");
  }
  {
    /* Too old for a 60-minute window. */
    g_autoptr(CbEnvironmentReading) reading = cb_store_environment_at (fixture->store, "压力室 1",
                                                                       "2026-11-23T10:30:00+08:00", 60, &error);

    g_assert_null (reading);
    assert_error (error, CB_STORE_ERROR_NOT_FOUND, "60 minutes");
    g_clear_error (&error);
  }
  {
    g_autoptr(CbEnvironmentReading) reading = cb_store_environment_at (fixture->store, "压力室 1",
                                                                       "2026-11-22T10:30:00+08:00", 0, &error);

    g_assert_null (reading);
    assert_error (error, CB_STORE_ERROR_NOT_FOUND, "no environment reading");
    g_clear_error (&error);
  }

  day = cb_store_environment_list (fixture->store, "电学室", "2026-11-23T00:00:00+08:00", "2026-11-23T23:59:59+08:00",
                                   &error);
  g_assert_cmpuint (day->len, ==, 6);

  g_assert_cmpint (cb_store_environment_add (fixture->store, "压力室 1", "TH-01", "2026-11-23T12:00:00Z", "二十", NULL,
                                             NULL, &error), ==, 0);
  assert_error (error, CB_STORE_ERROR_INVALID, "environment temperature: expected a number");
  g_clear_error (&error);
  g_assert_cmpint (cb_store_environment_add (fixture->store, "压力室 1", "TH-01", "2026-11-23T12:00:00Z", "20", "120",
                                             NULL, &error), ==, 0);
  assert_error (error, CB_STORE_ERROR_INVALID, "environment humidity");
  g_clear_error (&error);
  g_assert_cmpint (cb_store_environment_add (fixture->store, "压力室 1", "TH-01", "noon", "20", NULL, NULL, &error), ==, 0);
  assert_error (error, CB_STORE_ERROR_INVALID, "environment measured at");
  g_clear_error (&error);
  g_assert_cmpint (cb_store_environment_add (fixture->store, "压力室 1", "TH-01", "2026-11-23T12:00:00Z", NULL, NULL,
                                             NULL, &error), ==, 0);
  assert_error (error, CB_STORE_ERROR_INVALID, "environment reading");
}

static void
test_working_days (void)
{
  static const struct { const char *from; guint n; const char *due; } cases[] = {
    { "2026-11-23", 10, "2026-12-07" },  /* Monday → Monday two weeks on */
    { "2026-11-20", 10, "2026-12-04" },  /* Friday → Friday */
    { "2026-11-21", 10, "2026-12-04" },  /* Saturday: counting starts on Monday */
    { "2026-11-22", 10, "2026-12-04" },  /* Sunday */
    { "2026-11-26", 1, "2026-11-27" },   /* Thursday → Friday */
    { "2026-11-27", 1, "2026-11-30" },   /* Friday → Monday */
    { "2026-12-28", 10, "2027-01-11" },  /* over the new year */
    { "2028-02-25", 3, "2028-03-01" },   /* over a leap day */
    { "2026-11-23", 0, "2026-11-23" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *due = cb_add_working_days (cases[i].from, cases[i].n);

      g_assert_cmpstr (due, ==, cases[i].due);
    }
  g_assert_null (cb_add_working_days ("2026-02-30", 10));
  g_assert_null (cb_add_working_days ("today", 10));
}

static void
test_complaints (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbComplaint) complaint = NULL;
  g_autoptr(GPtrArray) open = NULL;
  gint64 customer = cb_store_customer_add (fixture->store, "保定热电有限责任公司", NULL, NULL, NULL, NULL);
  gint64 first, second;

  first = cb_store_complaint_add (fixture->store, customer, "2026-11-20", "证书上的出厂编号与表盘不一致", &error);
  second = cb_store_complaint_add (fixture->store, 0, "2026-11-23", "电话投诉取样等待时间长", &error);
  g_assert_no_error (error);
  complaint = cb_store_complaint_get (fixture->store, first, &error);
  g_assert_cmpstr (complaint->due, ==, "2026-12-04");
  g_assert_null (complaint->outcome);

  g_assert_false (cb_store_complaint_close (fixture->store, first, "已核实并出具替代证书", "2026-11-19", &error));
  assert_error (error, CB_STORE_ERROR_INVALID, "complaint closed: expected a date on or after its receipt");
  g_clear_error (&error);
  g_assert_false (cb_store_complaint_close (fixture->store, first, "", "2026-11-25", &error));
  assert_error (error, CB_STORE_ERROR_INVALID, "complaint outcome");
  g_clear_error (&error);
  g_assert_true (cb_store_complaint_close (fixture->store, first, "已核实并出具替代证书", "2026-11-25", &error));
  g_assert_no_error (error);
  g_assert_false (cb_store_complaint_close (fixture->store, first, "again", "2026-11-26", &error));
  assert_error (error, CB_STORE_ERROR_RULE, "already closed on 2026-11-25");
  g_clear_error (&error);

  open = cb_store_complaint_list (fixture->store, TRUE, &error);
  g_assert_cmpuint (open->len, ==, 1);
  g_assert_cmpint (((CbComplaint *) open->pdata[0])->id, ==, second);
  g_assert_cmpstr (((CbComplaint *) open->pdata[0])->due, ==, "2026-12-07");

  g_assert_cmpint (cb_store_complaint_add (fixture->store, 0, "2026/11/23", "x", &error), ==, 0);
  assert_error (error, CB_STORE_ERROR_INVALID, "complaint received");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store/methods/lifecycle", test_methods);
  ADD ("/store/standards/usability", test_standards_usability);
  ADD ("/store/standards/external-certificates", test_external_certificates);
  ADD ("/store/standards/usage-log", test_usage_log);
  ADD ("/store/templates/lifecycle", test_template_lifecycle);
  ADD ("/store/environment/conditions-at", test_environment);
  g_test_add_func ("/store/complaints/working-days", test_working_days);
  ADD ("/store/complaints/add-close", test_complaints);
#undef ADD

  return g_test_run ();
}
