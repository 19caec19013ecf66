/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-store-accounts.h"
#include "cb-store-demo.h"
#include "cb-store-private.h"

#define N_CUSTOMERS 30
#define N_LEDGER 300
#define N_STANDARDS 40
#define N_ORDERS 120

typedef struct
{
  CbStore *store;
  GRand   *rand;
  GError **error;
  gboolean failed;
} Demo;

/* Inserts a row from name, value pairs ending with NULL; remembers a
 * failure so that the caller checks once. */
static gint64
add (Demo       *demo,
     const char *table,
     ...)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  const char *field;
  va_list args;
  gint64 row;

  if (demo->failed)
    return 0;
  va_start (args, table);
  while ((field = va_arg (args, const char *)) != NULL)
    {
      g_ptr_array_add (fields, (gpointer) field);
      g_ptr_array_add (values, va_arg (args, char *));
    }
  va_end (args);

  row = cb_store_insert (demo->store, table, (const char * const *) fields->pdata,
                         (const char * const *) values->pdata, fields->len, NULL, demo->error);
  demo->failed = row == 0;
  return row;
}

static void
update (Demo       *demo,
        const char *table,
        gint64      row,
        const char *field,
        const char *value,
        const char *reason)
{
  if (!demo->failed)
    demo->failed = !cb_store_update (demo->store, table, row, field, value, reason, demo->error);
}

static char *
id (gint64 row)
{
  return g_strdup_printf ("%lld", (long long) row);
}

/* A date @days from today, as YYYY-MM-DD. */
static char *
date_from_today (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days);

  return g_date_time_format (then, "%Y-%m-%d");
}

static const struct { const char *login, *name, *roles; } staff[] = {
  { "admin",         "系统管理员", "admin" },
  { "liu.min",       "刘敏",   "reception" },
  { "chen.jing",     "陈静",   "reception" },
  { "zhang.wei",     "张伟",   "metrologist" },
  { "wang.lei",      "王磊",   "metrologist" },
  { "li.qiang",      "李强",   "metrologist" },
  { "zhao.hui",      "赵慧",   "metrologist,checker" },
  { "sun.li",        "孙丽",   "checker" },
  { "zhou.jian",     "周建",   "checker,approver" },
  { "wu.hong",       "吴红",   "approver" },
};

/* Real regulations and specifications; the last is withdrawn. */
static const struct { const char *code, *name, *kind, *item, *status; } methods[] = {
  { "JJG 52-2013", "弹性元件式一般压力表、压力真空表和真空表", "verification-regulation", "一般压力表", "current" },
  { "JJG 49-2013", "弹性元件式精密压力表和真空表", "verification-regulation", "精密压力表", "current" },
  { "JJG 875-2019", "数字压力计", "verification-regulation", "数字压力计", "current" },
  { "JJF 1587-2016", "数字多用表校准规范", "calibration-specification", "数字多用表", "current" },
  { "JJG 1036-2022", "电子天平", "verification-regulation", "电子天平", "current" },
  { "JJF 1101-2019", "环境试验设备温度、湿度参数校准规范", "calibration-specification", "温湿度试验箱", "current" },
  { "JJG 52-1999", "弹簧管式一般压力表、压力真空表和真空表", "verification-regulation", "一般压力表", "withdrawn" },
};

static const struct { const char *name, *maker, *model, *range, *accuracy; } types[] = {
  { "一般压力表", "上海自动化仪表四厂", "Y-100", "(0~1.6) MPa", "1.6级" },
  { "一般压力表", "红旗仪表有限公司", "Y-60", "(0~2.5) MPa", "2.5级" },
  { "精密压力表", "西安仪表厂", "YB-150A", "(0~6) MPa", "0.4级" },
  { "数字压力计", "北京康斯特仪表", "ConST211", "(0~10) MPa", "0.05级" },
  { "数字多用表", "是德科技", "34461A", "DCV (0~1000) V", "±(0.0035%rdg+0.0005%FS)" },
  { "数字多用表", "福禄克", "17B+", "DCV (0~1000) V", "±(0.5%rdg+3d)" },
  { "电子天平", "梅特勒-托利多", "ME204", "(0~220) g", "Ⅰ级" },
  { "温湿度试验箱", "重庆银河试验仪器", "GDJS-100", "(-40~150) ℃", "±0.5 ℃" },
};

static const char * const cities[] = { "石家庄", "唐山", "秦皇岛", "邯郸", "邢台", "保定", "张家口", "承德", "沧州", "廊坊" };
static const char * const trades[] = { "钢铁集团有限公司", "热电有限责任公司", "化工股份有限公司" };

gboolean
cb_store_demo_populate (CbStore  *store,
                        GError  **error)
{
  Demo demo = { store, g_rand_new_with_seed (20261123), error, FALSE };
  gint64 staff_ids[G_N_ELEMENTS (staff)];
  gint64 method_ids[G_N_ELEMENTS (methods)];
  gint64 type_ids[G_N_ELEMENTS (types)];
  gint64 customer_ids[N_CUSTOMERS];
  gint64 ledger_ids[N_LEDGER];
  gint64 standard_ids[N_STANDARDS];
  gint64 version_ids[G_N_ELEMENTS (methods)];
  g_autofree char *long_ago = date_from_today (-900);
  g_autofree char *far_ahead = date_from_today (3 * 365);
  g_autofree char *saved_actor = g_strdup (cb_store_get_actor (store));
  g_autofree char *saved_workstation = g_strdup (cb_store_get_workstation (store));
  guint certificate_no = 0;

  cb_store_set_actor (store, "demo", "demo");
  if (!cb_store_begin (store, error))
    goto out;

  /* Staff, roles, authorisations for every item. */
  for (guint i = 0; i < G_N_ELEMENTS (staff); i++)
    {
      g_auto(GStrv) roles = g_strsplit (staff[i].roles, ",", -1);
      g_autofree char *staff_text = NULL;

      staff_ids[i] = add (&demo, "staff", "login", staff[i].login, "name", staff[i].name,
                          "printed_name", staff[i].name, NULL);
      staff_text = id (staff_ids[i]);
      for (guint r = 0; roles[r] != NULL; r++)
        {
          static const struct { const char *role, *kind; } kinds[] = {
            { "metrologist", "perform" }, { "checker", "check" }, { "approver", "approve" },
          };

          add (&demo, "staff_roles", "staff_id", staff_text, "role", roles[r], NULL);
          for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
            if (g_str_equal (roles[r], kinds[k].role))
              for (guint m = 0; m + 1 < G_N_ELEMENTS (methods); m++)
                add (&demo, "authorisations", "staff_id", staff_text, "item", methods[m].item,
                     "kind", kinds[k].kind, "valid_from", long_ago, "valid_until", far_ahead, NULL);
          if (g_str_equal (roles[r], "metrologist") || g_str_equal (roles[r], "checker"))
            {
              g_autofree char *number = g_strdup_printf ("冀计量员证 %04u", 1000 + i * 37);

              add (&demo, "qualifications", "staff_id", staff_text, "certificate_no", number,
                   "discipline", "压力、电学", "issuer", "河北省市场监督管理局", "valid_until", far_ahead, NULL);
            }
        }
      if (!demo.failed && !cb_store_set_password (store, staff_ids[i], CB_DEMO_PASSWORD, "demo lab", error))
        demo.failed = TRUE;
    }

  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    {
      g_autofree char *method_text = NULL;
      g_autofree char *template_text = NULL;
      g_autofree char *author = id (staff_ids[3]);
      g_autofree char *approver = id (staff_ids[9]);
      g_autofree char *template_name = g_strdup_printf ("%s原始记录", methods[m].item);

      method_ids[m] = add (&demo, "methods", "code", methods[m].code, "name", methods[m].name,
                           "kind", methods[m].kind, "status", methods[m].status, NULL);
      method_text = id (method_ids[m]);
      template_text = id (add (&demo, "templates", "name", template_name, "item", methods[m].item,
                               "method_id", method_text, NULL));
      version_ids[m] = add (&demo, "template_versions", "template_id", template_text, "version", "1",
                            "document", "{}", "state", "approved", "author_id", author,
                            "approved_by", approver, NULL);
    }

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    type_ids[t] = add (&demo, "instrument_types", "name", types[t].name, "maker", types[t].maker,
                       "model", types[t].model, "range_text", types[t].range, "accuracy", types[t].accuracy, NULL);

  for (guint c = 0; c < N_CUSTOMERS; c++)
    {
      g_autofree char *name = g_strdup_printf ("%s%s%s", cities[c % G_N_ELEMENTS (cities)],
                                               c >= 20 ? "新" : c >= 10 ? "中" : "",
                                               trades[c % G_N_ELEMENTS (trades)]);
      g_autofree char *address = g_strdup_printf ("河北省%s市建设大街 %u 号", cities[c % G_N_ELEMENTS (cities)], 10 + c * 7);
      g_autofree char *phone = g_strdup_printf ("0311-8%07u", g_rand_int_range (demo.rand, 0, 9999999));
      g_autofree char *customer_text = NULL;

      customer_ids[c] = add (&demo, "customers", "name", name, "address", address, "phone", phone, NULL);
      customer_text = id (customer_ids[c]);
      add (&demo, "contacts", "customer_id", customer_text, "name", c % 2 ? "计量科 王工" : "设备部 李工",
           "phone", phone, NULL);
    }

  for (guint l = 0; l < N_LEDGER; l++)
    {
      g_autofree char *customer_text = id (customer_ids[l % N_CUSTOMERS]);
      g_autofree char *type_text = id (type_ids[l % G_N_ELEMENTS (types)]);
      g_autofree char *serial = g_strdup_printf ("%c%06u", 'A' + l % 26, g_rand_int_range (demo.rand, 0, 999999));
      int last = -g_rand_int_range (demo.rand, 1, 365);
      g_autofree char *last_text = date_from_today (last);
      g_autofree char *next_text = date_from_today (last + 365);

      ledger_ids[l] = add (&demo, "ledger", "customer_id", customer_text, "type_id", type_text, "serial", serial,
                           "last_calibrated", last_text, "next_due", next_text, NULL);
    }

  for (guint s = 0; s < N_STANDARDS; s++)
    {
      static const char * const names[] = { "活塞式压力计", "精密数字压力计", "多功能校准器", "标准数字多用表", "F1级砝码组", "温湿度标准器" };
      g_autofree char *asset = g_strdup_printf ("BZ-%04u", s + 1);
      g_autofree char *serial = g_strdup_printf ("%06u", g_rand_int_range (demo.rand, 0, 999999));
      g_autofree char *certificate = g_strdup_printf ("国计检字〔2026〕第 %04u 号", 100 + s);
      /* Two due within a month, one expired, the rest well ahead. */
      int days = s == 0 ? -12 : s < 3 ? 10 + (int) s * 7 : g_rand_int_range (demo.rand, 60, 360);
      g_autofree char *valid_until = date_from_today (days);

      standard_ids[s] = add (&demo, "standards", "asset_no", asset, "name", names[s % G_N_ELEMENTS (names)],
                             "serial", serial, "uncertainty", s % 2 ? "0.02级" : "U=0.05%, k=2",
                             "traceability_body", "中国计量科学研究院", "certificate_no", certificate,
                             "valid_until", valid_until,
                             "status", s == 3 ? "out-of-service" : "in-service", NULL);
    }

  /* A year of orders: the older ones completed, the recent ones in progress. */
  for (guint o = 0; o < N_ORDERS && !demo.failed; o++)
    {
      int age = (int) ((N_ORDERS - o) * 365 / N_ORDERS);
      g_autofree char *received = date_from_today (-age);
      g_autofree char *due = date_from_today (-age + 10);
      g_autofree char *number = g_strdup_printf ("WT%s-%04u", received, o + 1);
      guint ledger = g_rand_int_range (demo.rand, 0, N_LEDGER);
      g_autofree char *customer_text = id (customer_ids[ledger % N_CUSTOMERS]);
      g_autofree char *ledger_text = id (ledger_ids[ledger]);
      guint m = ledger % G_N_ELEMENTS (types) < 3 ? 0 : 3;
      g_autofree char *label = g_strdup_printf ("S%s%04u", received, o + 1);
      g_autofree char *order_text = NULL;
      g_autofree char *sample_text = NULL;
      g_autofree char *method_text = id (method_ids[m]);
      g_autofree char *task_text = NULL;
      g_autofree char *version_text = id (version_ids[m]);
      g_autofree char *performer_text = id (staff_ids[3 + o % 3]);
      gboolean done = age > 20;
      gint64 task, record;

      order_text = id (add (&demo, "orders", "number", number, "customer_id", customer_text,
                            "received", received, "due", due, "state", done ? "completed" : "in-progress", NULL));
      add (&demo, "order_lines", "order_id", order_text, "ledger_id", ledger_text, "item", methods[m].item,
           "fee_cents", "12000", NULL);
      sample_text = id (add (&demo, "samples", "label", label, "order_id", order_text, "ledger_id", ledger_text,
                             "name", methods[m].item, "received_at", received, "due", due,
                             "state", done ? "handed-over" : "in-measurement", "location", done ? "已取回" : "压力室 1", NULL));
      task = add (&demo, "tasks", "sample_id", sample_text, "item", methods[m].item, "method_id", method_text,
                  "assignee_id", performer_text, "due", due, "state", done ? "approved" : "to-measure", NULL);
      task_text = id (task);
      if (!done && o % 3 == 0)
        continue;

      record = add (&demo, "records", "template_version_id", version_text, "task_id", task_text,
                    "performer_id", performer_text, "state", done ? "approved" : "performed",
                    "data", "{}", NULL);
      if (done)
        {
          g_autofree char *record_text = id (record);
          g_autofree char *cert = g_strdup_printf ("JD%s-%06u", received, ++certificate_no);
          const char *status = o % 17 == 5 ? "withdrawn" : o % 11 == 3 ? "superseded" : "issued";
          g_autofree char *standard_text = id (standard_ids[4 + o % (N_STANDARDS - 4)]);
          gint64 certificate;

          add (&demo, "standard_usage", "standard_id", standard_text, "record_id", record_text, "used_at", received, NULL);

          certificate = add (&demo, "certificates", "number", cert, "record_id", record_text, "kind", "original",
                             "status", "issued", "issued_at", due, NULL);
          if (!g_str_equal (status, "issued"))
            update (&demo, "certificates", certificate, "status", status,
                    g_str_equal (status, "withdrawn") ? "客户申请撤回" : "证书信息有误，已出具替代证书");
          if (g_str_equal (status, "superseded"))
            {
              g_autofree char *replacement = g_strdup_printf ("JD%s-%06u", received, ++certificate_no);
              g_autofree char *replaces = id (certificate);

              add (&demo, "certificates", "number", replacement, "record_id", record_text, "kind", "replacement",
                   "replaces_id", replaces, "status", "issued", "issued_at", due, NULL);
            }
        }
    }
  /* Drafts waiting for the number. */
  for (guint d = 0; d < 3; d++)
    {
      g_autofree char *number = g_strdup_printf ("JD-DRAFT-%u", d + 1);

      add (&demo, "certificates", "number", number, "kind", "original", NULL);
    }

  /* A month of environment readings in the pressure room. */
  for (int h = 0; h < 30 * 24 && !demo.failed; h += 6)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) at = g_date_time_add_hours (now, -h);
      g_autofree char *when = g_date_time_format (at, "%Y-%m-%dT%H:00:00Z");
      g_autofree char *t = g_strdup_printf ("%d.%d", 19 + g_rand_int_range (demo.rand, 0, 3), g_rand_int_range (demo.rand, 0, 10));
      g_autofree char *rh = g_strdup_printf ("%d", g_rand_int_range (demo.rand, 38, 62));

      add (&demo, "environment_log", "room", "压力室 1", "sensor", "TH-01", "measured_at", when,
           "temperature", t, "humidity", rh, "pressure", "101.3", NULL);
    }

  if (demo.failed)
    {
      cb_store_rollback (store);
      goto out;
    }
  demo.failed = !cb_store_commit (store, error);

out:
  cb_store_set_actor (store, saved_actor, saved_workstation);
  g_rand_free (demo.rand);
  return !demo.failed;
}
