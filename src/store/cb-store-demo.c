/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <string.h>

#include "cb-store-accounts.h"
#include "cb-store-complaints.h"
#include "cb-store-customers.h"
#include "cb-store-demo.h"
#include "cb-store-environment.h"
#include "cb-store-instruments.h"
#include "cb-store-methods.h"
#include "cb-store-orders.h"
#include "cb-store-private.h"
#include "cb-store-records.h"
#include "cb-store-samples.h"
#include "cb-store-staff.h"
#include "cb-store-standards.h"
#include "cb-store-tasks.h"
#include "cb-store-templates.h"
#include "core/cb-template.h"

#define N_CUSTOMERS 30
#define N_LEDGER 300
#define N_STANDARDS 40
#define N_ORDERS 120
#define N_OPEN 14
#define ENVIRONMENT_DAYS 365
#define ENVIRONMENT_STEP_HOURS 4

typedef struct
{
  CbStore  *store;
  GRand    *rand;
  GError  **error;
  gboolean  failed;
} Demo;

/* Runs a store call unless an earlier one failed, and remembers a failure
 * (a 0 id or FALSE), so that the caller checks once at the end. */
#define STEP(demo, call) ((demo)->failed ? 0 : note ((demo), (gint64) (call)))

static gint64
note (Demo   *demo,
      gint64  result)
{
  if (result == 0)
    demo->failed = TRUE;
  return result;
}

/* Tables without a repository of their own yet (records, readings,
 * signatures, certificates): a row from name, value pairs ending with NULL. */
static gint64
add (Demo       *demo,
     const char *table,
     ...)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  const char *field;
  va_list args;

  if (demo->failed)
    return 0;
  va_start (args, table);
  while ((field = va_arg (args, const char *)) != NULL)
    {
      g_ptr_array_add (fields, (gpointer) field);
      g_ptr_array_add (values, va_arg (args, char *));
    }
  va_end (args);

  return note (demo, cb_store_insert (demo->store, table, (const char * const *) fields->pdata,
                                      (const char * const *) values->pdata, fields->len, NULL, demo->error));
}

static void
update (Demo       *demo,
        const char *table,
        gint64      row,
        const char *field,
        const char *value,
        const char *reason)
{
  STEP (demo, cb_store_update (demo->store, table, row, field, value, reason, demo->error));
}

static char *
id (gint64 row)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, row);
}

/* A date @days from today, as YYYY-MM-DD. */
static char *
date_from_today (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days);

  return g_date_time_format (then, "%Y-%m-%d");
}

/* Beijing time on @date. */
static char *
at_time (const char *date,
         guint       hour,
         guint       minute)
{
  return g_strdup_printf ("%sT%02u:%02u:00+08:00", date, hour, minute);
}

static guint32
crc32_update (guint32       crc,
              const guint8 *data,
              gsize         length)
{
  crc = ~crc;
  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
  return ~crc;
}

static void
append_be32 (GByteArray *bytes,
             guint32     value)
{
  guint8 be[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (bytes, be, 4);
}

static void
append_chunk (GByteArray   *png,
              const char   *type,
              const guint8 *data,
              gsize         length)
{
  guint32 crc = crc32_update (0, (const guint8 *) type, 4);

  crc = crc32_update (crc, data, length);
  append_be32 (png, (guint32) length);
  g_byte_array_append (png, (const guint8 *) type, 4);
  g_byte_array_append (png, data, (guint) length);
  append_be32 (png, crc);
}

/* A real 32×32 grey PNG of a gauge dial, its needle at @angle: the image
 * data in one stored (uncompressed) deflate block, so no zlib is needed. */
static GBytes *
dial_photo (double angle)
{
  enum { SIZE = 32, ROW = SIZE + 1 };
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  guint8 header[13] = { 0, 0, 0, SIZE, 0, 0, 0, SIZE, 8, 0, 0, 0, 0 };
  guint8 raw[SIZE * ROW];
  g_autoptr(GByteArray) zlib = g_byte_array_new ();
  GByteArray *png = g_byte_array_new ();
  guint32 a = 1, b = 0;

  for (int y = 0; y < SIZE; y++)
    {
      raw[y * ROW] = 0;  /* filter: none */
      for (int x = 0; x < SIZE; x++)
        {
          double dx = x - 15.5, dy = y - 15.5, r = sqrt (dx * dx + dy * dy);
          double along = dx * cos (angle) + dy * sin (angle);
          double across = fabs (-dx * sin (angle) + dy * cos (angle));
          guint8 grey = r > 15 ? 40 : r > 13.5 ? 90 : 235;

          if (along > 0 && along < 12 && across < 1.0)
            grey = 20;
          raw[y * ROW + 1 + x] = grey;
        }
    }
  for (gsize i = 0; i < sizeof raw; i++)
    {
      a = (a + raw[i]) % 65521;
      b = (b + a) % 65521;
    }
  {
    guint8 start[] = { 0x78, 0x01, 0x01, sizeof raw & 0xff, sizeof raw >> 8,
                       ~sizeof raw & 0xff, (~sizeof raw >> 8) & 0xff };

    g_byte_array_append (zlib, start, sizeof start);
  }
  g_byte_array_append (zlib, raw, sizeof raw);
  append_be32 (zlib, (b << 16) | a);

  g_byte_array_append (png, signature, sizeof signature);
  append_chunk (png, "IHDR", header, sizeof header);
  append_chunk (png, "IDAT", zlib->data, zlib->len);
  append_chunk (png, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (png);
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
enum { RECEPTION = 1, PERFORMER = 3, CHECKER = 7, APPROVER = 9, SECOND_APPROVER = 8 };

/* Real regulations and specifications; the last was superseded by the first. */
/* Real regulations and specifications; the last was superseded by the first.
 * Each has a record template: a shipped one, or a plain indication-error form
 * in the method's unit with its upper limit and MPE. */
static const struct {
  const char *code, *name, *kind, *item, *effective;
  guint price;
  const char *shipped, *unit, *upper, *mpe;
} methods[] = {
  { "JJG 52-2013", "弹性元件式一般压力表、压力真空表和真空表", "verification-regulation", "一般压力表", "2013-11-28", 3000,
    "jjg52-2013-pressure-gauge", NULL, NULL, NULL },
  { "JJG 49-2013", "弹性元件式精密压力表和真空表", "verification-regulation", "精密压力表", "2013-11-28", 8000,
    NULL, "MPa", "6", "0.024" },
  { "JJG 875-2019", "数字压力计", "verification-regulation", "数字压力计", "2019-12-31", 20000,
    NULL, "MPa", "10", "0.005" },
  { "JJF 1587-2016", "数字多用表校准规范", "calibration-specification", "数字多用表", "2016-11-30", 30000,
    "jjf1587-2016-digital-multimeter", NULL, NULL, NULL },
  { "JJG 1036-2022", "电子天平", "verification-regulation", "电子天平", "2022-09-27", 15000,
    NULL, "g", "200", "0.0015" },
  { "JJF 1101-2019", "环境试验设备温度、湿度参数校准规范", "calibration-specification", "温湿度试验箱", "2019-09-27", 60000,
    NULL, "°C", "150", "0.5" },
  { "JJG 52-1999", "弹簧管式一般压力表、压力真空表和真空表", "verification-regulation", "一般压力表", "1999-10-01", 2000,
    NULL, "MPa", "1.6", "0.0256" },
};
#define N_CURRENT_METHODS (G_N_ELEMENTS (methods) - 1)

/* The standard each method measures with, as an index of add_standards'
 * names: a piston gauge or digital pressure gauge for pressure, the
 * multifunction calibrator for multimeters, weights for balances, the
 * temperature and humidity standard for climatic chambers. */
static const guint method_standard[] = { 1, 0, 0, 2, 4, 5, 1 };
G_STATIC_ASSERT (G_N_ELEMENTS (method_standard) == G_N_ELEMENTS (methods));

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
/* The method (index into methods) for each instrument type. */
static const guint type_method[] = { 0, 0, 1, 2, 3, 3, 4, 5 };

static const char * const cities[] = { "石家庄", "唐山", "秦皇岛", "邯郸", "邢台", "保定", "张家口", "承德", "沧州", "廊坊" };
static const char * const trades[] = { "钢铁集团有限公司", "热电有限责任公司", "化工股份有限公司" };
static const char * const surnames[] = { "王", "李", "赵", "刘", "杨", "黄", "周", "吴" };

static const struct { const char *room, *sensor; double base; } rooms[] = {
  { "压力室 1", "TH-01", 20.0 },
  { "电学室", "TH-02", 22.0 },
  { "质量室", "TH-03", 20.5 },
};

static void
add_staff (Demo   *demo,
           gint64 *staff_ids,
           const char *long_ago,
           const char *far_ahead)
{
  for (guint i = 0; i < G_N_ELEMENTS (staff) && !demo->failed; i++)
    {
      g_auto(GStrv) roles = g_strsplit (staff[i].roles, ",", -1);

      staff_ids[i] = STEP (demo, cb_store_staff_add (demo->store, staff[i].login, staff[i].name, staff[i].name,
                                                     demo->error));
      for (guint r = 0; roles[r] != NULL; r++)
        {
          static const struct { const char *role, *kind; } kinds[] = {
            { "metrologist", "perform" }, { "checker", "check" }, { "approver", "approve" },
          };

          STEP (demo, cb_store_staff_add_role (demo->store, staff_ids[i], roles[r], demo->error));
          for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
            if (g_str_equal (roles[r], kinds[k].role))
              for (guint m = 0; m < N_CURRENT_METHODS; m++)
                STEP (demo, cb_store_authorisation_add (demo->store, staff_ids[i], methods[m].item, kinds[k].kind,
                                                        long_ago, far_ahead, demo->error));
          if (g_str_equal (roles[r], "metrologist") || g_str_equal (roles[r], "checker"))
            {
              g_autofree char *number = g_strdup_printf ("冀计量员证 %04u", 1000 + i * 37);

              STEP (demo, cb_store_qualification_add (demo->store, staff_ids[i], number, "压力、电学、质量",
                                                      "河北省市场监督管理局", long_ago, far_ahead, demo->error));
            }
        }
      if (!demo->failed)
        STEP (demo, cb_store_set_password (demo->store, staff_ids[i], CB_DEMO_PASSWORD, "demo lab", demo->error));
    }
}

/* The record template of method @m, its title marked with @edition after the
 * first so that versions differ. */
static char *
method_document (guint m,
                 guint edition)
{
  g_autofree char *text = NULL;
  g_autofree char *mark = NULL;
  g_auto(GStrv) parts = NULL;

  if (methods[m].shipped != NULL)
    {
      g_autoptr(CbTemplate) tmpl = cb_template_new_shipped (methods[m].shipped, NULL);

      g_assert (tmpl != NULL);
      text = cb_template_to_data (tmpl);
    }
  else
    {
      gboolean verification = g_str_equal (methods[m].kind, "verification-regulation");

      text = g_strdup_printf (
        "{\"format\": \"calbench-template/1\", \"id\": \"demo-method-%u\","
        " \"title\": \"%s%s原始记录\", \"kind\": \"%s\","
        " \"method\": {\"code\": \"%s\", \"name\": \"%s\"},"
        " \"header\": [{\"name\": \"customer\", \"label\": \"委托单位\", \"bind\": \"customer\"},"
        "   {\"name\": \"instrument\", \"label\": \"器具名称\", \"bind\": \"instrument\"},"
        "   {\"name\": \"model\", \"label\": \"型号规格\", \"bind\": \"model\"},"
        "   {\"name\": \"serial\", \"label\": \"出厂编号\", \"bind\": \"serial\"},"
        "   {\"name\": \"date\", \"label\": \"日期\", \"bind\": \"measure_date\"}],"
        " \"parameters\": [{\"name\": \"upper\", \"label\": \"测量上限\", \"unit\": \"%s\", \"default\": \"%s\"},"
        "   {\"name\": \"mpe\", \"label\": \"最大允许误差\", \"unit\": \"%s\", \"default\": \"%s\"}],"
        " \"environment\": [{\"name\": \"temperature\", \"label\": \"温度\", \"unit\": \"°C\", \"min\": \"15\", \"max\": \"25\"}],"
        " \"blocks\": [{\"name\": \"indication\", \"title\": \"示值误差\","
        "   \"nominal\": {\"name\": \"x\", \"label\": \"标准值\", \"unit\": \"%s\"},"
        "   \"points\": {\"span\": \"upper\", \"percents\": [10, 25, 50, 75, 100]},"
        "   \"readings\": [{\"name\": \"r\", \"label\": \"示值\", \"unit\": \"%s\", \"repeats\": 3}],"
        "   \"columns\": [{\"name\": \"e\", \"label\": \"示值误差\", \"unit\": \"%s\", \"expr\": \"r - x\","
        "                \"round\": {\"interval\": \"mpe / 10\"}}],"
        "   \"checks\": [{\"name\": \"indication\", \"label\": \"示值误差\", \"error\": \"e\", \"limit\": \"mpe\"}],"
        "   \"summary\": [{\"name\": \"max_error\", \"label\": \"最大示值误差\", \"unit\": \"%s\", \"aggregate\": \"maxabs\", \"of\": \"e\"}]}],"
        " \"certificate\": {\"header\": [\"customer\", \"instrument\", \"model\", \"serial\", \"date\"],"
        "   \"tables\": [{\"block\": \"indication\", \"columns\": [\"x\", \"r\", \"e\"]}],"
        "   \"results\": [\"max_error\"], \"statements\": [\"%s\"]},"
        " \"conclusion\": {\"pass\": \"%s\", \"fail\": \"不合格\"}}",
        m, methods[m].item, verification ? "检定" : "校准", verification ? "verification" : "calibration",
        methods[m].code, methods[m].name, methods[m].unit, methods[m].upper, methods[m].unit, methods[m].mpe,
        methods[m].unit, methods[m].unit, methods[m].unit, methods[m].unit,
        verification ? "检定结果仅对所检器具有效。" : "校准结果仅对所校器具有效。",
        verification ? "合格" : "所校各点在最大允许误差内");
    }
  if (edition <= 1)
    return g_steal_pointer (&text);
  mark = g_strdup_printf ("原始记录（第%u版）", edition);
  parts = g_strsplit (text, "原始记录", 2);
  return g_strjoin (mark, parts[0], parts[1], NULL);
}

/* Methods with record templates: one template's version 1 retired by
 * version 2, a version 3 waiting for approval and a draft elsewhere. */
static void
add_methods (Demo   *demo,
             gint64 *staff_ids,
             gint64 *method_ids,
             gint64 *version_ids)
{
  gint64 author = staff_ids[PERFORMER], approver = staff_ids[APPROVER];

  for (guint m = 0; m < G_N_ELEMENTS (methods) && !demo->failed; m++)
    {
      g_autofree char *template_name = g_strdup_printf ("%s原始记录", methods[m].item);
      g_autofree char *document = method_document (m, 1);
      g_autofree char *second = method_document (m, 2);
      g_autofree char *third = method_document (m, 3);
      gint64 template_, version;

      method_ids[m] = STEP (demo, cb_store_method_add (demo->store, methods[m].code, methods[m].name, methods[m].kind,
                                                       methods[m].effective, demo->error));
      template_ = STEP (demo, cb_store_template_add (demo->store, template_name, methods[m].item, method_ids[m],
                                                     demo->error));
      version = STEP (demo, cb_store_template_version_add (demo->store, template_, author, document, demo->error));
      STEP (demo, cb_store_template_version_submit (demo->store, version, author, demo->error));
      STEP (demo, cb_store_template_version_approve (demo->store, version, approver, demo->error));
      version_ids[m] = version;

      if (m == 0)
        {
          version = STEP (demo, cb_store_template_version_add (demo->store, template_, author, second,
                                                               demo->error));
          STEP (demo, cb_store_template_version_submit (demo->store, version, author, demo->error));
          STEP (demo, cb_store_template_version_reject (demo->store, version, approver, "缺少回程误差列", demo->error));
          STEP (demo, cb_store_template_version_submit (demo->store, version, author, demo->error));
          STEP (demo, cb_store_template_version_approve (demo->store, version, staff_ids[SECOND_APPROVER], demo->error));
          version_ids[m] = version;
          version = STEP (demo, cb_store_template_version_add (demo->store, template_, author, third,
                                                               demo->error));
          STEP (demo, cb_store_template_version_submit (demo->store, version, author, demo->error));
        }
      if (m == 3)
        STEP (demo, cb_store_template_version_add (demo->store, template_, staff_ids[PERFORMER + 1], second,
                                                   demo->error));
    }
  /* The 1999 regulation gave way to the 2013 one. */
  STEP (demo, cb_store_method_withdraw (demo->store, method_ids[G_N_ELEMENTS (methods) - 1], "2014-06-01",
                                        method_ids[0], "JJG 52-2013 实施，代替 JJG 52-1999", demo->error));
}

static void
add_customers (Demo   *demo,
               gint64 *customer_ids,
               gint64 *method_ids)
{
  for (guint c = 0; c < N_CUSTOMERS && !demo->failed; c++)
    {
      const char *city = cities[c % G_N_ELEMENTS (cities)];
      g_autofree char *name = g_strdup_printf ("%s%s%s", city, c >= 20 ? "新" : c >= 10 ? "中" : "",
                                               trades[c % G_N_ELEMENTS (trades)]);
      g_autofree char *address = g_strdup_printf ("河北省%s市建设大街 %u 号", city, 10 + c * 7);
      g_autofree char *phone = g_strdup_printf ("0311-8%07u", g_rand_int_range (demo->rand, 0, 9999999));
      g_autofree char *credit = g_strdup_printf ("9113%02u%04u%07uX", 1 + c % 11, 1000 + c * 13,
                                                 g_rand_int_range (demo->rand, 0, 9999999));
      g_autofree char *mobile = g_strdup_printf ("138%08u", g_rand_int_range (demo->rand, 0, 99999999));
      g_autofree char *email = g_strdup_printf ("metrology%02u@example.com.cn", c + 1);
      g_autofree char *contact = g_strdup_printf ("%s %s工", c % 2 ? "计量科" : "设备部",
                                                  surnames[c % G_N_ELEMENTS (surnames)]);
      g_autofree char *licence_until = date_from_today (200 + (int) c * 31);

      customer_ids[c] = STEP (demo, cb_store_customer_add (demo->store, name, address, phone, credit, demo->error));
      STEP (demo, cb_store_contact_add (demo->store, customer_ids[c], contact, mobile, email, demo->error));
      if (c % 3 == 0)
        STEP (demo, cb_store_contact_add (demo->store, customer_ids[c], "财务部 出纳", phone, NULL, demo->error));
      STEP (demo, cb_store_licence_add (demo->store, customer_ids[c], "营业执照", credit, NULL, demo->error));
      if (c % 3 != 0)
        {
          g_autofree char *permit = g_strdup_printf ("%s001P", credit);

          STEP (demo, cb_store_licence_add (demo->store, customer_ids[c], "排污许可证", permit, licence_until,
                                            demo->error));
        }
    }

  /* The price list, and a lower negotiated price for two large customers. */
  for (guint m = 0; m < N_CURRENT_METHODS && !demo->failed; m++)
    {
      STEP (demo, cb_store_price_add (demo->store, methods[m].item, method_ids[m], 0, methods[m].price * 9 / 10,
                                      "2025-01-01", demo->error));
      STEP (demo, cb_store_price_add (demo->store, methods[m].item, method_ids[m], 0, methods[m].price,
                                      "2026-01-01", demo->error));
    }
  STEP (demo, cb_store_price_add (demo->store, methods[0].item, method_ids[0], customer_ids[1], 2500, "2026-01-01",
                                  demo->error));
  STEP (demo, cb_store_price_add (demo->store, methods[3].item, method_ids[3], customer_ids[0], 26000, "2026-01-01",
                                  demo->error));
}

/* Standards: one expired, one out of service, one under repair, two due
 * within a month; each calibrated by an outside body, some with a scan. */
static void
add_standards (Demo   *demo,
               gint64 *standard_ids)
{
  static const char * const names[] = {
    "活塞式压力计", "精密数字压力计", "多功能校准器", "标准数字多用表", "F1级砝码组", "温湿度标准器",
  };
  static const char * const bodies[] = { "中国计量科学研究院", "河北省计量监督检测研究院" };

  for (guint s = 0; s < N_STANDARDS && !demo->failed; s++)
    {
      g_autofree char *asset = g_strdup_printf ("BZ-%04u", s + 1);
      g_autofree char *serial = g_strdup_printf ("%06u", g_rand_int_range (demo->rand, 0, 999999));
      int days = s == 0 ? -12 : s < 3 ? 10 + (int) s * 7 : g_rand_int_range (demo->rand, 60, 360);
      g_autofree char *valid_until = date_from_today (days);
      g_autofree char *last_year = date_from_today (days - 365);
      g_autofree char *number = g_strdup_printf ("国计检字〔2026〕第 %04u 号", 100 + s);
      g_autofree char *old_number = g_strdup_printf ("国计检字〔2025〕第 %04u 号", 300 + s);
      const char *body = bodies[s % G_N_ELEMENTS (bodies)];
      CbStandard standard = { 0 };

      standard.asset_no = asset;
      standard.name = (char *) names[s % G_N_ELEMENTS (names)];
      standard.serial = serial;
      standard.uncertainty = (char *) (s % 2 ? "0.02级" : "U=0.05%, k=2");
      standard.status = (char *) (s == 3 ? "out-of-service" : "in-service");
      standard_ids[s] = STEP (demo, cb_store_standard_add (demo->store, &standard, demo->error));

      /* Last year's certificate, then this year's, which the standard takes. */
      STEP (demo, cb_store_external_certificate_add (demo->store, standard_ids[s], old_number, body, last_year, NULL,
                                                     demo->error));
      if (s % 4 == 0)
        {
          g_autofree char *text = g_strdup_printf ("%%PDF-1.4\n%% 校准证书 %s 扫描件\n%%%%EOF\n", number);
          g_autoptr(GBytes) scan = g_bytes_new (text, strlen (text));

          STEP (demo, cb_store_external_certificate_add (demo->store, standard_ids[s], number, body, valid_until, scan,
                                                         demo->error));
        }
      else
        STEP (demo, cb_store_external_certificate_add (demo->store, standard_ids[s], number, body, valid_until, NULL,
                                                       demo->error));
      if (s == 5)
        STEP (demo, cb_store_standard_set_status (demo->store, standard_ids[s], "under-repair",
                                                  "示值漂移超差，返厂维修", demo->error));
    }
}

/* A year of readings every few hours in each room: a seasonal swing, a
 * daily one and sensor noise. */
static void
add_environment (Demo *demo)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = NULL;
  int steps = ENVIRONMENT_DAYS * 24 / ENVIRONMENT_STEP_HOURS;

  start = g_date_time_new_utc (g_date_time_get_year (now), g_date_time_get_month (now),
                               g_date_time_get_day_of_month (now), 0, 0, 0);
  for (int i = steps; i >= 0 && !demo->failed; i--)
    {
      g_autoptr(GDateTime) at = g_date_time_add_hours (start, -i * ENVIRONMENT_STEP_HOURS);
      g_autofree char *when = g_date_time_format (at, "%Y-%m-%dT%H:%M:%SZ");
      double season = sin (2 * G_PI * (g_date_time_get_day_of_year (at) - 110) / 365.0);
      double day = sin (2 * G_PI * (g_date_time_get_hour (at) + 8 - 9) / 24.0);

      for (guint r = 0; r < G_N_ELEMENTS (rooms); r++)
        {
          char t[G_ASCII_DTOSTR_BUF_SIZE], rh[G_ASCII_DTOSTR_BUF_SIZE], p[G_ASCII_DTOSTR_BUF_SIZE];
          double temperature = rooms[r].base + 1.2 * season + 0.4 * day + g_rand_double_range (demo->rand, -0.3, 0.3);
          double humidity = 48 + 10 * season + g_rand_double_range (demo->rand, -4, 4);
          double pressure = 101.3 - 0.9 * season + g_rand_double_range (demo->rand, -0.4, 0.4);

          g_ascii_formatd (t, sizeof t, "%.1f", temperature);
          g_ascii_formatd (rh, sizeof rh, "%.0f", humidity);
          g_ascii_formatd (p, sizeof p, "%.1f", pressure);
          STEP (demo, cb_store_environment_add (demo->store, rooms[r].room, rooms[r].sensor, when, t, rh, p,
                                                demo->error));
        }
    }
}

/* Signs in the demo without the password prompt: the same row that
 * cb_store_record_sign writes. */
static gint64
sign (Demo       *demo,
      gint64      record,
      gint64      signer,
      const char *meaning,
      const char *signed_at,
      const char *state)
{
  g_autofree char *hash = NULL;
  g_autofree char *record_text = id (record);
  g_autofree char *signer_text = id (signer);
  gint64 signature;

  if (demo->failed)
    return 0;
  hash = cb_store_record_hash (demo->store, record, demo->error);
  if (hash == NULL)
    {
      demo->failed = TRUE;
      return 0;
    }
  signature = add (demo, "signatures", "record_id", record_text, "record_hash", hash, "signer_id", signer_text,
                   "meaning", meaning, "signed_at", signed_at, NULL);
  update (demo, "records", record, "state", state, "签名");
  return signature;
}

static double
gauss (GRand *rand)
{
  double u = g_rand_double_range (rand, 1e-12, 1), v = g_rand_double (rand);

  return sqrt (-2 * log (u)) * cos (2 * G_PI * v);
}

/* A cell's value, or NAN when it is not there. */
static double
cell_value (CbRecord   *record,
            const char *id)
{
  CbCell cell;

  if (!cb_record_get_cell (record, id, &cell, NULL) || cell.state != CB_CELL_OK)
    return NAN;
  return cell.value;
}

/* Readings as a bench would give them: each point off its nominal value by a
 * small error, the repeats scattered about it, at the instrument's
 * resolution; the inputs a record needs from the standards and the room. */
static void
fill_record (Demo       *demo,
             CbRecord   *record,
             const char *room_temperature)
{
  static const struct { const char *name, *value; } inputs[] = {
    { "std_mpe", "0.0016" }, { "std_U", "0.010" }, { "std_k", "2" }, { "humidity", "48" },
  };
  CbTemplate *tmpl = cb_record_get_template (record);

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    if (isnan (cell_value (record, inputs[i].name)))
      cb_record_set_value (record, inputs[i].name, inputs[i].value, NULL);
  cb_record_set_value (record, "temperature", room_temperature, NULL);

  for (guint b = 0; b < cb_template_get_n_blocks (tmpl); b++)
    {
      const char *block = cb_template_get_block_name (tmpl, b);

      for (guint p = 1; p <= cb_record_get_n_points (record, b); p++)
        {
          g_autofree char *nominal_id = g_strdup_printf ("%s/%u/%s", block, p, cb_template_get_block_nominal (tmpl, b));
          g_autofree char *res_id = g_strdup_printf ("%s/%u/res", block, p);
          double nominal = cell_value (record, nominal_id);
          double step, sigma, bias;
          int decimals;

          if (!isnan (cell_value (record, res_id)))
            {
              step = cell_value (record, res_id);
              sigma = 1.5 * step;
            }
          else if (!isnan (cell_value (record, "division")))
            {
              step = cell_value (record, "division") / 5;
              sigma = 0.6 * step;
            }
          else if (!isnan (cell_value (record, "mpe")))
            {
              step = pow (10, floor (log10 (cell_value (record, "mpe") / 5)));
              sigma = 0.25 * cell_value (record, "mpe");
            }
          else
            continue;
          decimals = MAX (0, (int) -floor (log10 (step) + 1e-9));
          bias = sigma * gauss (demo->rand);

          for (guint r = 0; r < cb_template_get_n_readings (tmpl, b); r++)
            {
              guint repeats;
              const char *name = cb_template_get_reading (tmpl, b, r, &repeats, NULL);
              /* A gauge reads a little higher coming down. */
              double offset = g_str_has_prefix (name, "down") ? step : 0;

              for (guint k = 1; k <= repeats; k++)
                {
                  g_autofree char *id = repeats == 1 ? g_strdup_printf ("%s/%u/%s", block, p, name)
                                                     : g_strdup_printf ("%s/%u/%s/%u", block, p, name, k);
                  double value = nominal + bias + offset + (repeats > 1 ? sigma / 3 * gauss (demo->rand) : 0);
                  char text[G_ASCII_DTOSTR_BUF_SIZE];
                  g_autofree char *format = g_strdup_printf ("%%.%df", decimals);

                  g_ascii_formatd (text, sizeof text, format, value);
                  cb_record_set_value (record, id, text, NULL);
                }
            }
        }
    }
}

/* The record's data and results through the engine, and a readings row for
 * each entered value with where it came from. */
static void
store_record (Demo       *demo,
              gint64      record_id,
              gint64      performer,
              CbRecord   *record,
              const char *taken_at,
              const char *room,
              const char *instrument)
{
  g_autoptr(JsonNode) data = cb_record_to_json (record);
  JsonObject *values = json_object_get_object_member (json_node_get_object (data), "values");
  g_autoptr(GList) cells = json_object_get_members (values);
  g_autofree char *record_text = id (record_id);
  g_autofree char *environment = g_strdup_printf ("{\"room\": \"%s\"}", room);

  if (demo->failed)
    return;
  if (!cb_store_record_save (demo->store, record_id, performer, record, "测量数据录入", demo->error))
    {
      demo->failed = TRUE;
      return;
    }
  for (GList *l = cells; l != NULL && !demo->failed; l = l->next)
    {
      const char *value = json_object_get_string_member (values, l->data);
      g_autofree char *reply = instrument != NULL ? g_strdup_printf ("%+.9E", g_ascii_strtod (value, NULL)) : NULL;

      add (demo, "readings", "record_id", record_text, "cell", (const char *) l->data, "value", value,
           "source", instrument != NULL ? "instrument" : "typed", "instrument", instrument,
           "raw_reply", reply, "taken_at", taken_at, "environment", environment, NULL);
    }
}

gboolean
cb_store_demo_populate (CbStore  *store,
                        GError  **error)
{
  Demo demo = { store, g_rand_new_with_seed (20261123), error, FALSE };
  gint64 staff_ids[G_N_ELEMENTS (staff)];
  gint64 method_ids[G_N_ELEMENTS (methods)];
  gint64 version_ids[G_N_ELEMENTS (methods)];
  gint64 type_ids[G_N_ELEMENTS (types)];
  gint64 customer_ids[N_CUSTOMERS];
  gint64 contract_ids[N_CUSTOMERS] = { 0 };
  gint64 ledger_ids[N_LEDGER];
  gint64 standard_ids[N_STANDARDS];
  g_autofree char *long_ago = date_from_today (-900);
  g_autofree char *far_ahead = date_from_today (3 * 365);
  g_autofree char *saved_actor = g_strdup (cb_store_get_actor (store));
  g_autofree char *saved_workstation = g_strdup (cb_store_get_workstation (store));
  guint certificate_no = 0;
  CbTemplate *templates[G_N_ELEMENTS (methods)] = { NULL };

  cb_store_set_actor (store, "demo", "demo");
  if (!cb_store_begin (store, error))
    {
      demo.failed = TRUE;
      goto out;
    }

  add_staff (&demo, staff_ids, long_ago, far_ahead);
  add_methods (&demo, staff_ids, method_ids, version_ids);
  add_customers (&demo, customer_ids, method_ids);

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    type_ids[t] = STEP (&demo, cb_store_instrument_type_add (store, types[t].name, types[t].maker, types[t].model,
                                                             types[t].range, types[t].accuracy, NULL, error));

  for (guint l = 0; l < N_LEDGER && !demo.failed; l++)
    {
      g_autofree char *serial = g_strdup_printf ("%c%06u", 'A' + l % 26, g_rand_int_range (demo.rand, 0, 999999));
      g_autofree char *asset = g_strdup_printf ("ZC-%05u", 10000 + l * 7);
      int last = -g_rand_int_range (demo.rand, 1, 365);
      g_autofree char *last_text = date_from_today (last);
      g_autofree char *next_text = date_from_today (last + 365);

      ledger_ids[l] = STEP (&demo, cb_store_ledger_add (store, customer_ids[l % N_CUSTOMERS],
                                                        type_ids[l % G_N_ELEMENTS (types)], serial,
                                                        l % 4 == 0 ? asset : NULL, last_text, next_text, error));
    }

  add_standards (&demo, standard_ids);

  /* Framework contracts for a third of the customers. */
  for (guint c = 0; c < N_CUSTOMERS && !demo.failed; c += 3)
    {
      g_autofree char *number = g_strdup_printf ("HT2026-%03u", c / 3 + 1);
      g_autofree char *signed_on = date_from_today (-380 + (int) c);

      contract_ids[c] = STEP (&demo, cb_store_contract_add (store, customer_ids[c], number, signed_on,
                                                            c % 2 ? -1 : 5000000 + (gint64) c * 100000, error));
    }

  /* A year of orders: the older ones done, the recent ones in every state. */
  for (guint o = 0; o < N_ORDERS && !demo.failed; o++)
    {
      int age = (int) ((N_ORDERS - o) * 365 / N_ORDERS);
      g_autofree char *received = date_from_today (-age);
      g_autofree char *due = date_from_today (-age + 10);
      g_autofree char *received_at = at_time (received, 9, 10 + o % 40);
      g_autofree char *measured_at = NULL;
      g_autofree char *record_text = NULL;
      g_autofree char *version_text = NULL;
      g_autofree char *performer_text = NULL;
      g_autofree char *task_text = NULL;
      guint ledger = g_rand_int_range (demo.rand, 0, N_LEDGER);
      guint customer = ledger % N_CUSTOMERS;
      guint type = ledger % G_N_ELEMENTS (types);
      guint m = type_method[type];
      const char *room = m < 3 ? rooms[0].room : m == 3 ? rooms[1].room : rooms[2].room;
      gint64 performer = staff_ids[PERFORMER + o % 3];
      /* The last N_OPEN orders, about six weeks' worth, are still open. */
      gboolean done = o < N_ORDERS - N_OPEN;
      guint k = done ? 0 : o - (N_ORDERS - N_OPEN);
      /* The recent ones go round the task states. */
      static const char * const open_states[] = {
        "to-measure", "measuring", "to-check", "to-approve", "returned", "to-measure", "cancelled",
      };
      const char *task_state = done ? "approved" : open_states[k % G_N_ELEMENTS (open_states)];
      gint64 order, sample, task, record = 0, signature = 0, fee, quotation;
      CbSample info = { 0 };

      {
        g_autofree char *measured = date_from_today (-age + 2);

        measured_at = at_time (measured, 14, 20);
      }
      order = STEP (&demo, cb_store_order_add (store, NULL, customer_ids[customer], received, due,
                                               o % 5 == 0 ? "出具检定证书并加贴合格标志" : "出具证书",
                                               m == 3 ? "非二元判定，考虑测量不确定度" : NULL, error));
      STEP (&demo, cb_store_order_line_add (store, order, ledger_ids[ledger], methods[m].item, 1 + o % 3,
                                            o % 4 == 0 ? "接头、说明书" : NULL, (gint64) methods[m].price * (1 + o % 3),
                                            error));

      /* Quotations for larger jobs: approved, or under review, or refused. */
      if (o % 4 == 0)
        {
          quotation = STEP (&demo, cb_store_quotation_add (store, order, (gint64) methods[m].price * (1 + o % 3), error));
          if (o % 16 != 12)
            STEP (&demo, cb_store_quotation_review (store, quotation, staff_ids[RECEPTION], error));
          if (o % 16 == 0)
            STEP (&demo, cb_store_quotation_approve (store, quotation, staff_ids[APPROVER], error));
          if (o % 16 == 8)
            STEP (&demo, cb_store_quotation_reject (store, quotation, staff_ids[APPROVER], "折扣超出授权范围，重新报价",
                                                    error));
        }

      info.order_id = order;
      info.ledger_id = ledger_ids[ledger];
      info.name = (char *) types[type].name;
      info.model = (char *) types[type].model;
      info.range_text = (char *) types[type].range;
      info.accuracy_class = (char *) types[type].accuracy;
      info.maker = (char *) types[type].maker;
      info.requirement = (char *) "检定";
      info.received_by = staff_ids[RECEPTION + o % 2];
      info.received_at = received_at;
      info.due = due;
      info.location = (char *) "收样室";
      sample = STEP (&demo, cb_store_sample_add (store, &info, NULL, error));
      STEP (&demo, cb_store_sample_move (store, sample, "waiting", room, received_at, "送检定室", error));
      if (o % 9 == 4)
        STEP (&demo, cb_store_sample_anomaly_add (store, sample,
                                                  o % 2 ? "表玻璃有裂纹，指针可正常回零" : "铅封缺失，客户确认后收样",
                                                  received_at, error));
      if (o % 10 == 0)
        for (guint p = 0; p < 2 && !demo.failed; p++)
          {
            g_autoptr(GBytes) photo = dial_photo (0.6 + o * 0.05 + p * 1.2);

            STEP (&demo, cb_store_sample_photo_add (store, sample, photo, received_at, error));
          }

      task = STEP (&demo, cb_store_task_add (store, sample, methods[m].item, method_ids[m], due, error));
      STEP (&demo, cb_store_task_assign (store, task, performer, m < 3 ? "压力台 2" : m == 3 ? "电学台 1" : "质量台 1",
                                         error));
      task_text = id (task);
      if (!g_str_equal (task_state, "to-measure") && !g_str_equal (task_state, "cancelled"))
        {
          g_autoptr(CbRecord) engine = NULL;
          char temperature[G_ASCII_DTOSTR_BUF_SIZE];

          version_text = id (version_ids[m]);
          performer_text = id (performer);
          record = add (&demo, "records", "template_version_id", version_text, "task_id", task_text,
                        "performer_id", performer_text, NULL);
          record_text = id (record);
          if (templates[m] == NULL && !demo.failed)
            {
              g_autoptr(CbStoredTemplateVersion) version = cb_store_template_version_get (store, version_ids[m], error);

              templates[m] = version != NULL ? cb_template_new_from_data (version->document, -1, error) : NULL;
              demo.failed = templates[m] == NULL;
            }
          if (!demo.failed)
            {
              engine = cb_record_new (templates[m]);
              cb_record_set_header (engine, "instrument", types[type].name, NULL);
              cb_record_set_header (engine, "model", types[type].model, NULL);
              cb_record_set_header (engine, "maker", types[type].maker, NULL);
              cb_record_set_header (engine, "range", types[type].range, NULL);
              cb_record_set_header (engine, "accuracy", types[type].accuracy, NULL);
              cb_record_set_header (engine, "method", methods[m].code, NULL);
              {
                g_autofree char *measured_date = g_strndup (measured_at, 10);
                g_autofree char *customer_name = cb_store_get_field (store, "customers", customer_ids[customer],
                                                                     "name", NULL);
                g_autofree char *serial = cb_store_get_field (store, "ledger", ledger_ids[ledger], "serial", NULL);

                cb_record_set_header (engine, "date", measured_date, NULL);
                cb_record_set_header (engine, "customer", customer_name, NULL);
                cb_record_set_header (engine, "serial", serial, NULL);
              }
              g_ascii_formatd (temperature, sizeof temperature, "%.1f", 20 + g_rand_double_range (demo.rand, -1.5, 1.5));
              fill_record (&demo, engine, temperature);
              store_record (&demo, record, performer, engine, measured_at, room,
                            m == 2 ? "ConST211 #BZ-0008" : m == 3 ? "Fluke 5520A #BZ-0012" : NULL);
            }
          /* A standard of the method's discipline (add_standards' names
           * repeat every six), past the first six kept for the quality
           * rules (expired, due, out of service). */
          STEP (&demo, cb_store_standard_usage_add (store, standard_ids[6 + method_standard[m] + 6 * (o % 5)], record,
                                                    measured_at, error));
          STEP (&demo, cb_store_sample_move (store, sample, "in-measurement", NULL, measured_at, NULL, error));
        }

      if (g_str_equal (task_state, "to-check") || g_str_equal (task_state, "to-approve") ||
          g_str_equal (task_state, "returned") || done)
        signature = sign (&demo, record, performer, "performed", measured_at, "performed");
      if (g_str_equal (task_state, "to-approve") || done)
        sign (&demo, record, staff_ids[CHECKER], "checked", measured_at, "checked");
      if (done)
        sign (&demo, record, staff_ids[APPROVER], "approved", measured_at, "approved");
      if (g_str_equal (task_state, "returned"))
        {
          static const char reason[] = "示值误差计算引用了错误的标准器修正值";

          /* As cb_store_record_return does: the signature no longer holds. */
          STEP (&demo, cb_store_void (store, "signatures", signature, reason, error));
          update (&demo, "records", record, "return_reason", reason, reason);
          update (&demo, "records", record, "state", "returned", reason);
        }
      if (!g_str_equal (task_state, "to-measure"))
        STEP (&demo, cb_store_task_set_state (store, task, task_state,
                                              g_str_equal (task_state, "cancelled") ? "客户撤回委托" : "流转", error));

      /* Delay requests on some open tasks: waiting, approved and refused. */
      if (!done && k % 5 == 1 && !g_str_equal (task_state, "cancelled"))
        {
          g_autofree char *later = date_from_today (-age + 20);
          gint64 request = STEP (&demo, cb_store_delay_request_add (store, task, "配套标准器送上级计量机构检定，未返回",
                                                                    later, error));

          if (k < 5)
            STEP (&demo, cb_store_delay_request_decide (store, request, staff_ids[APPROVER], TRUE, error));
        }
      if (!done && k % 5 == 3 && !g_str_equal (task_state, "cancelled"))
        {
          g_autofree char *later = date_from_today (-age + 30);
          gint64 request = STEP (&demo, cb_store_delay_request_add (store, task, "检定人员外出现场检定", later, error));

          STEP (&demo, cb_store_delay_request_decide (store, request, staff_ids[APPROVER], FALSE, error));
        }

      if (done)
        {
          g_autofree char *cert = g_strdup_printf ("JD%s-%06u", received, ++certificate_no);
          const char *status = o % 17 == 5 ? "withdrawn" : o % 11 == 3 ? "superseded" : "issued";
          g_autofree char *next_due = date_from_today (-age + 2 + 365);
          g_autofree char *calibrated = date_from_today (-age + 2);
          g_autofree char *handed_at = at_time (due, 15, 30);
          gint64 certificate;

          STEP (&demo, cb_store_sample_move (store, sample, "measured", "待取样架", measured_at, NULL, error));
          STEP (&demo, cb_store_sample_move (store, sample, "handed-over", "已取回", handed_at, "客户取回，已签收", error));
          STEP (&demo, cb_store_ledger_set_calibrated (store, ledger_ids[ledger], calibrated, next_due, "检定合格",
                                                       error));
          STEP (&demo, cb_store_order_set_state (store, order, o % 3 ? "handed-over" : "completed", "完成", error));

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

          fee = STEP (&demo, cb_store_fee_add (store, order, contract_ids[customer],
                                               (gint64) methods[m].price * (1 + o % 3), error));
          if (age > 45)
            STEP (&demo, cb_store_fee_set_paid (store, fee, "银行转账已到账", error));
        }
      else
        STEP (&demo, cb_store_order_set_state (store, order, g_str_equal (task_state, "cancelled") ? "cancelled" : "in-progress",
                                               "流转", error));
    }

  /* Drafts waiting for the number. */
  for (guint d = 0; d < 3; d++)
    {
      g_autofree char *number = g_strdup_printf ("JD-DRAFT-%u", d + 1);

      add (&demo, "certificates", "number", number, "kind", "original", NULL);
    }

  /* Complaints: answered ones, one open and one open past its due date. */
  {
    static const struct { int age; guint customer; const char *what, *outcome; int answered; } complaints[] = {
      { 300, 4, "证书上的出厂编号与压力表表盘不一致", "核实为录入错误，已出具替代证书并致歉", 6 },
      { 200, 11, "取回的精密压力表表壳有划痕", "调取收样照片核对，划痕收样时已存在，已向客户说明", 4 },
      { 90, 17, "检定周期提醒未及时送达", "已在系统中增加联系人邮箱，提前 30 天提醒", 9 },
      { 20, 2, "数字多用表校准结果与厂家数据差异较大", NULL, 0 },
      { 5, 25, "希望提供现场检定服务", NULL, 0 },
    };

    for (guint c = 0; c < G_N_ELEMENTS (complaints) && !demo.failed; c++)
      {
        g_autofree char *received = date_from_today (-complaints[c].age);
        gint64 complaint = STEP (&demo, cb_store_complaint_add (store, customer_ids[complaints[c].customer], received,
                                                                complaints[c].what, error));

        if (complaints[c].outcome != NULL)
          {
            g_autofree char *closed = date_from_today (-complaints[c].age + complaints[c].answered);

            STEP (&demo, cb_store_complaint_close (store, complaint, complaints[c].outcome, closed, error));
          }
      }
  }

  add_environment (&demo);

  if (demo.failed)
    {
      cb_store_rollback (store);
      goto out;
    }
  demo.failed = !cb_store_commit (store, error);

out:
  for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
    g_clear_pointer (&templates[m], cb_template_unref);
  cb_store_set_actor (store, saved_actor, saved_workstation);
  g_rand_free (demo.rand);
  return !demo.failed;
}
