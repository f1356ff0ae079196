/* Tables rebuilt from text dumps (norm_text.c): each case is the lines of a
 * page as the seeds print them (TAB = cell separator) and, written by hand,
 * the tables and notes they must give. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "norm_page.h"
#include "norm_rules.h"
#include "norm_testlib.h"
#include "norm_text.h"
#include "norm_textalign.h"
#include "norm_textgrid.h"

#define MAXL 16

static const struct {
    const char *name;
    const char *lines[MAXL];
    const char *expect;
} cases[] = {
    {"leading tabs continue the cells above (seed 000 lines 21-26)",
     {"21:一级目标\t二级目标\t三级目标\t指标目标值",
      "22:投入与管理\t投入管理\t预算执行率\t> 95%",
      "23:\t财务管理\t预算资金到位率\t=100%",
      "24:\t\t资金使用规范性\t规范",
      "25:\t实施管理\t项目管理制度健全性\t健全"},
     "text 5x4\n"
     "1,1,1,1:一级目标\n1,2,1,1:二级目标\n1,3,1,1:三级目标\n1,4,1,1:指标目标值\n"
     "2,1,4,1:投入与管理\n2,2,1,1:投入管理\n2,3,1,1:预算执行率\n2,4,1,1:> 95%\n"
     "3,2,2,1:财务管理\n3,3,1,1:预算资金到位率\n3,4,1,1:=100%\n"
     "4,3,1,1:资金使用规范性\n4,4,1,1:规范\n"
     "5,2,1,1:实施管理\n5,3,1,1:项目管理制度健全性\n5,4,1,1:健全\n"},
    {"title rows span the width; trailing empty fields count; prose is a note; "
     "a value followed by empty fields spans them (seed 000 项目概况)",
     {"1:七、绩效目标",
      "3:财政项目支出绩效目标表\t\t\t",
      "4:(2020年度)\t\t\t",
      "5:项目名称：\t合作交流工作业务费\t项目类别：\t经常性专项业务费",
      "6:项目概况：\t该项目用于课题研究。\t\t"},
     "note:七、绩效目标\n"
     "text 4x4\n"
     "1,1,1,4:财政项目支出绩效目标表\n2,1,1,4:(2020年度)\n"
     "3,1,1,1:项目名称：\n3,2,1,1:合作交流工作业务费\n3,3,1,1:项目类别：\n"
     "3,4,1,1:经常性专项业务费\n"
     "4,1,1,1:项目概况：\n4,2,1,3:该项目用于课题研究。\n"},
    {"a blank line then a TAB line continues over the page break (seed 001)",
     {"17:\t\t时效指标\t项目启动及时性",
      "18:效益指标\t经济效益指标\t课题转化成果率\t100%",
      "20:\t社会效益指标\t合作交流工作支撑作用\t支撑作用明显"},
     "text 3x4\n"
     "1,1,1,2:\n1,3,1,1:时效指标\n1,4,1,1:项目启动及时性\n"
     "2,1,2,1:效益指标\n2,2,1,1:经济效益指标\n2,3,1,1:课题转化成果率\n2,4,1,1:100%\n"
     "3,2,1,1:社会效益指标\n3,3,1,1:合作交流工作支撑作用\n3,4,1,1:支撑作用明显\n"},
    {"a blank line then a line that begins with text continues the table "
     "when it is no wider (seed 003 line 52, a page break inside the table)",
     {"50:党政团出访六安慰问费（教师医生）\t2\t0.3\t0.6",
      "52:慰问团出访六安慰问费（教师医生）\t2\t0.2\t0.4"},
     "text 2x4\n1,1,1,1:党政团出访六安慰问费（教师医生）\n1,2,1,1:2\n1,3,1,1:0.3\n"
     "1,4,1,1:0.6\n"
     "2,1,1,1:慰问团出访六安慰问费（教师医生）\n2,2,1,1:2\n2,3,1,1:0.2\n"
     "2,4,1,1:0.4\n"},
    {"after a blank line, a repeat of the table's first row starts the next "
     "copy of the form (seed 000 line 44); a wider line starts a new table; "
     "a title row after a blank line is a section of the same form",
     {"1:财政项目支出绩效目标表\t\t\t",
      "2:项目名称：\t甲\t项目类别：\t乙",
      "4:本项目上年度资金\t\t\t",
      "5:项目总预算：\t1\t项目当年预算：\t1",
      "7:财政项目支出绩效目标表\t\t\t",
      "8:项目名称：\t丙\t项目类别：\t丁",
      "10:a\tb\tc\td\te"},
     "text 4x4\n1,1,1,4:财政项目支出绩效目标表\n"
     "2,1,1,1:项目名称：\n2,2,1,1:甲\n2,3,1,1:项目类别：\n2,4,1,1:乙\n"
     "3,1,1,4:本项目上年度资金\n"
     "4,1,1,1:项目总预算：\n4,2,1,1:1\n4,3,1,1:项目当年预算：\n4,4,1,1:1\n"
     "text 2x4\n1,1,1,4:财政项目支出绩效目标表\n"
     "2,1,1,1:项目名称：\n2,2,1,1:丙\n2,3,1,1:项目类别：\n2,4,1,1:丁\n"
     "text 1x5\n1,1,1,1:a\n1,2,1,1:b\n1,3,1,1:c\n1,4,1,1:d\n1,5,1,1:e\n"},
    {"a one-piece fragment after a page break joins the cell it continues "
     "(seed 002 line 23)",
     {"21:梅州指挥部\t320. 80\t通过安排经费。\t1、产出指标:完成率。7",
      "23:\t\t\t、效益指标:宣传报道的次数",
      "24:清远指挥部\t215. 64\t维持运行。\t1、产出指标"},
     "text 2x4\n"
     "1,1,1,1:梅州指挥部\n1,2,1,1:320. 80\n1,3,1,1:通过安排经费。\n"
     "1,4,1,1:1、产出指标:完成率。7、效益指标:宣传报道的次数\n"
     "2,1,1,1:清远指挥部\n2,2,1,1:215. 64\n2,3,1,1:维持运行。\n2,4,1,1:1、产出指标\n"},
    {"markdown rule rows are dropped",
     {"108:单次审核费用（元）\t规范性文件数量（件）\t总计审核费用（元）",
      "109:800\t50\t40000",
      "110:------\t---\t-----"},
     "text 2x3\n1,1,1,1:单次审核费用（元）\n1,2,1,1:规范性文件数量（件）\n"
     "1,3,1,1:总计审核费用（元）\n2,1,1,1:800\n2,2,1,1:50\n2,3,1,1:40000\n"},
    {"a leading empty field under a wide cell is an empty cell",
     {"1:本项目上年度市级财政资金使用情况\t\t\t",
      "2:\t\t334,680\t541,200"},
     "text 2x4\n1,1,1,4:本项目上年度市级财政资金使用情况\n"
     "2,1,1,1:\n2,2,1,1:\n2,3,1,1:334,680\n2,4,1,1:541,200\n"},
    {"leading empties that cover a whole wide cell extend it; a label spans the "
     "empty column no row of its group uses",
     {"1:项目资金 (元)\t\t年初预算数\t全年预算数",
      "2:\t\t500,000\t400,000"},
     "text 2x4\n1,1,2,2:项目资金 (元)\n1,3,1,1:年初预算数\n"
     "1,4,1,1:全年预算数\n2,3,1,1:500,000\n2,4,1,1:400,000\n"},
    {"a row the extractor shifted left is put back under its header; the "
     "slots it leaves continue the cells above (seed 000 信息公开实现率)",
     {"20:2020年绩效目标\t\t\t",
      "21:一级目标\t二级目标\t三级目标\t指标目标值",
      "22:投入与管理\t投入管理\t预算执行率\t> 95%",
      "23:\t财务管理\t预算资金到位率\t=100%",
      "24:\t实施管理\t项目管理制度健全性\t健全",
      "25:\t\t财务管理制度健全性\t健全",
      "26:信息公开实现率\t\t=100%\t",
      "27:产出目标\t数量\t支持项目进度计划完成率\t=100%",
      "28:\t质量\t项目质量可控性\t可控"},
     "text 9x4\n1,1,1,4:2020年绩效目标\n"
     "2,1,1,1:一级目标\n2,2,1,1:二级目标\n2,3,1,1:三级目标\n2,4,1,1:指标目标值\n"
     "3,1,5,1:投入与管理\n3,2,1,1:投入管理\n3,3,1,1:预算执行率\n3,4,1,1:> 95%\n"
     "4,2,1,1:财务管理\n4,3,1,1:预算资金到位率\n4,4,1,1:=100%\n"
     "5,2,3,1:实施管理\n5,3,1,1:项目管理制度健全性\n5,4,1,1:健全\n"
     "6,3,1,1:财务管理制度健全性\n6,4,1,1:健全\n"
     "7,3,1,1:信息公开实现率\n7,4,1,1:=100%\n"
     "8,1,2,1:产出目标\n8,2,1,1:数量\n8,3,1,1:支持项目进度计划完成率\n8,4,1,1:=100%\n"
     "9,2,1,1:质量\n9,3,1,1:项目质量可控性\n9,4,1,1:可控\n"},
    {"rows that lost their cover slots after a page break move right under "
     "their header; the column the header leaves empty is spanned, not filled "
     "(seed 003 lines 70-76)",
     {"70:绩效 指标\t一级指标\t二级指标\t三级指标\t\t年度(/项目)指标值\t",
      "71:\t成本指标\t经济成本指标\t援藏干部人才人均工作经费\t\t≤25.00(万元)\t",
      "72:\t\t\t援滇干部人均工作经费\t\t≤15.00(万元)\t",
      "73:产出指标\t数量指标\t双十扶持对口共建结对单位数\t\t≥2.00(家)\t\t",
      "75:\t\t人才培养参训人数\t≥100.00(人)",
      "76:\t质量指标\t项目完成率\t≥90.00(%)"},
     "text 6x6\n"
     "1,1,6,1:绩效 指标\n1,2,1,1:一级指标\n1,3,1,1:二级指标\n1,4,1,2:三级指标\n"
     "1,6,1,1:年度(/项目)指标值\n"
     "2,2,2,1:成本指标\n2,3,2,1:经济成本指标\n2,4,1,2:援藏干部人才人均工作经费\n"
     "2,6,1,1:≤25.00(万元)\n"
     "3,4,1,2:援滇干部人均工作经费\n3,6,1,1:≤15.00(万元)\n"
     "4,2,3,1:产出指标\n4,3,2,1:数量指标\n4,4,1,2:双十扶持对口共建结对单位数\n"
     "4,6,1,1:≥2.00(家)\n"
     "5,4,1,2:人才培养参训人数\n5,6,1,1:≥100.00(人)\n"
     "6,3,1,1:质量指标\n6,4,1,2:项目完成率\n6,6,1,1:≥90.00(%)\n"},
    {"a header printed above its group's label takes the label; headings over "
     "a long text leave empty value cells under them (seed 004 lines 14-18)",
     {"14:项目绩效目标\t项目总目标\t\t年度总体目标\t\t",
      "15:\t\t\t通过设立机关服务费项目，保障了办事处日常公务活动。\t\t",
      "16:\t一级指标\t二级指标\t三级指标\t年度(/项目)指标值\t",
      "17:绩效指标\t成本指标\t经济成本指标\t车队服务成本控制额\t≤14.00(万元)\t",
      "18:\t产出指标\t数量指标\t服务保障天数\t≥300.00(天)\t"},
     "text 5x5\n"
     "1,1,2,1:项目绩效目标\n1,2,1,2:项目总目标\n1,4,1,2:年度总体目标\n"
     "2,2,1,2:\n2,4,1,2:通过设立机关服务费项目，保障了办事处日常公务活动。\n"
     "3,1,3,1:绩效指标\n3,2,1,1:一级指标\n3,3,1,1:二级指标\n3,4,1,1:三级指标\n"
     "3,5,1,1:年度(/项目)指标值\n"
     "4,2,1,1:成本指标\n4,3,1,1:经济成本指标\n4,4,1,1:车队服务成本控制额\n"
     "4,5,1,1:≤14.00(万元)\n"
     "5,2,1,1:产出指标\n5,3,1,1:数量指标\n5,4,1,1:服务保障天数\n5,5,1,1:≥300.00(天)\n"},
    {"values span the empty columns no row of their group uses; the empty "
     "value of a label: before another label is a cell (seed 004 lines 7-13)",
     {"7:项目名称\t合作交流工作业务费\t\t项目性质\t经常性专项业务费\t项目类别\t特定目标类",
      "8:主管部门\t上海市人民政府合作交流办公室\t\t实施单位\t上海市人民政府驻新疆办事处\t\t",
      "9:计划开始日期\t2026-01-01\t\t计划完成日期\t2026-12-31\t\t",
      "10:项目资金(元)\t项目资金总额:\t\t年度资金申请总额:\t\t288,820.00\t",
      "11:\t其中: 财政资金\t\t其中: 当年财政拨款\t\t288,820.00\t",
      "12:\t\t\t上年结转资金\t\t0.00\t"},
     "text 6x7\n"
     "1,1,1,1:项目名称\n1,2,1,2:合作交流工作业务费\n1,4,1,1:项目性质\n"
     "1,5,1,1:经常性专项业务费\n1,6,1,1:项目类别\n1,7,1,1:特定目标类\n"
     "2,1,1,1:主管部门\n2,2,1,2:上海市人民政府合作交流办公室\n2,4,1,1:实施单位\n"
     "2,5,1,3:上海市人民政府驻新疆办事处\n"
     "3,1,1,1:计划开始日期\n3,2,1,2:2026-01-01\n3,4,1,1:计划完成日期\n"
     "3,5,1,3:2026-12-31\n"
     "4,1,3,1:项目资金(元)\n4,2,1,1:项目资金总额:\n4,3,1,1:\n"
     "4,4,1,2:年度资金申请总额:\n4,6,1,2:288,820.00\n"
     "5,2,2,1:其中: 财政资金\n5,3,2,1:\n5,4,1,2:其中: 当年财政拨款\n"
     "5,6,1,2:288,820.00\n"
     "6,4,1,2:上年结转资金\n6,6,1,2:0.00\n"},
    {"a row of a first-column group whose amount sits a column off is put "
     "back beside its group's amounts (seed 003 line 64)",
     {"61:项目名称\t东西部扶贫帮困\t\t项目性质\t其他经常性项目\t项目类别\t其他运转类",
      "62:主管部门\t上海市松江区人民政府办公室\t\t实施单位\t"
      "上海市松江区人民政府办公室（本级）\t\t",
      "63:计划开始日期\t2024-01-01\t\t计划完成日期\t2024-12-31\t\t",
      "64:项目资金 (元)\t项目资金总额\t\t37,780,000.00\t年度资金申请总额\t\t37,780,000.00",
      "65:\t其中：财政资金\t37,780,000.00\t\t其中：当年财政拨款\t\t37,780,000.00",
      "66:\t\t\t\t上年结转资金\t\t0.00",
      "67:\t其他资金\t0.00\t\t其他资金\t\t0.00"},
     "text 7x7\n"
     "1,1,1,1:项目名称\n1,2,1,2:东西部扶贫帮困\n1,4,1,1:项目性质\n"
     "1,5,1,1:其他经常性项目\n1,6,1,1:项目类别\n1,7,1,1:其他运转类\n"
     "2,1,1,1:主管部门\n2,2,1,2:上海市松江区人民政府办公室\n2,4,1,1:实施单位\n"
     "2,5,1,3:上海市松江区人民政府办公室（本级）\n"
     "3,1,1,1:计划开始日期\n3,2,1,2:2024-01-01\n3,4,1,1:计划完成日期\n"
     "3,5,1,3:2024-12-31\n"
     "4,1,4,1:项目资金 (元)\n4,2,1,1:项目资金总额\n4,3,1,2:37,780,000.00\n"
     "4,5,1,2:年度资金申请总额\n4,7,1,1:37,780,000.00\n"
     "5,2,2,1:其中：财政资金\n5,3,2,2:37,780,000.00\n5,5,1,2:其中：当年财政拨款\n"
     "5,7,1,1:37,780,000.00\n"
     "6,5,1,2:上年结转资金\n6,7,1,1:0.00\n"
     "7,2,1,1:其他资金\n7,3,1,2:0.00\n7,5,1,2:其他资金\n7,7,1,1:0.00\n"},
    {"a total row keeps its label, which spans the level columns, and its "
     "numbers move under the numeric columns (seed 001 总分)",
     {"13:\t通过设立合作交流工作业务费项目，确保各项工作顺利开展。\t\t"
      "该项目的实施提供了支撑。\t\t",
      "14:绩效指标\t一级指标\t三级指标\t年度指标值\t分值\t得分",
      "15:\t产出指标\t赴对口支援地区工作次数\t>=8 次\t15\t15",
      "16:\t\t完成项目预期规模及要点要求\t按要求完成\t15\t13",
      "17:\t效益指标\t课题转化成果率\t100%\t6\t6",
      "18:总分\t\t\t100\t95.46\t"},
     "text 6x6\n"
     "1,1,1,1:\n1,2,1,2:通过设立合作交流工作业务费项目，确保各项工作顺利开展。\n"
     "1,4,1,3:该项目的实施提供了支撑。\n"
     "2,1,4,1:绩效指标\n2,2,1,1:一级指标\n2,3,1,1:三级指标\n2,4,1,1:年度指标值\n"
     "2,5,1,1:分值\n2,6,1,1:得分\n"
     "3,2,2,1:产出指标\n3,3,1,1:赴对口支援地区工作次数\n3,4,1,1:>=8 次\n"
     "3,5,1,1:15\n3,6,1,1:15\n"
     "4,3,1,1:完成项目预期规模及要点要求\n4,4,1,1:按要求完成\n4,5,1,1:15\n4,6,1,1:13\n"
     "5,2,1,1:效益指标\n5,3,1,1:课题转化成果率\n5,4,1,1:100%\n5,5,1,1:6\n5,6,1,1:6\n"
     "6,1,1,4:总分\n6,5,1,1:100\n6,6,1,1:95.46\n"},
    {"project rows that lost their empty cells are realigned by type: amounts, "
     "prose, numbered lists; columns empty in every row are dropped (seed 002)",
     {"6:项目名称(资金使用单位)\t总计\t财政拨款\t财政专户拨款\t其他资金\t绩效目标\t"
      "绩效指标\t\t",
      "7:合计\t233, 875. 26\t232, 452. 06\t\t1, 423. 20\t\t\t\t",
      "8:广州市协作办公室\t232, 452. 06\t232, 452. 06\t\t\t\t\t\t",
      "9:会展业务费\t220.00\t220. 00\t\t\t通过举办广州博览会,宣传推介广州城市形象。\t"
      "1、满意度指标:参展商投诉率,年度指标值:低于10%。\t\t",
      "10:会议培训费\t200. 00\t200. 00\t\t\t通过开展人才培训,进一步履行职能。\t"
      "1、产出指标:培训人数,年度指标值:≥400人。\t\t",
      "12:对口帮扶工作经费\t165. 60\t165. 60\t通过帮扶经费保障,完成工作任务。\t"
      "1、产出指标:推介广州企业数量,年度指标值:10家。",
      "13:车辆租用经费\t0. 36\t\t\t1、满意度指标:服务对象满意率(%),年度指标值:"
      "满意度指标低于90%不得分。",
      "14:小计\t\t232, 452. 06"},
     "text 8x7\n"
     "1,1,1,1:项目名称(资金使用单位)\n1,2,1,1:总计\n1,3,1,1:财政拨款\n"
     "1,4,1,1:财政专户拨款\n1,5,1,1:其他资金\n1,6,1,1:绩效目标\n1,7,1,1:绩效指标\n"
     "2,1,1,1:合计\n2,2,1,1:233, 875. 26\n2,3,1,1:232, 452. 06\n2,4,1,1:\n"
     "2,5,1,1:1, 423. 20\n2,6,1,1:\n2,7,1,1:\n"
     "3,1,1,1:广州市协作办公室\n3,2,1,1:232, 452. 06\n3,3,1,1:232, 452. 06\n"
     "3,4,1,1:\n3,5,1,1:\n3,6,1,1:\n3,7,1,1:\n"
     "4,1,1,1:会展业务费\n4,2,1,1:220.00\n4,3,1,1:220. 00\n4,4,1,1:\n4,5,1,1:\n"
     "4,6,1,1:通过举办广州博览会,宣传推介广州城市形象。\n"
     "4,7,1,1:1、满意度指标:参展商投诉率,年度指标值:低于10%。\n"
     "5,1,1,1:会议培训费\n5,2,1,1:200. 00\n5,3,1,1:200. 00\n5,4,1,1:\n5,5,1,1:\n"
     "5,6,1,1:通过开展人才培训,进一步履行职能。\n"
     "5,7,1,1:1、产出指标:培训人数,年度指标值:≥400人。\n"
     "6,1,1,1:对口帮扶工作经费\n6,2,1,1:165. 60\n6,3,1,1:165. 60\n6,4,1,1:\n"
     "6,5,1,1:\n6,6,1,1:通过帮扶经费保障,完成工作任务。\n"
     "6,7,1,1:1、产出指标:推介广州企业数量,年度指标值:10家。\n"
     "7,1,1,1:车辆租用经费\n7,2,1,1:0. 36\n7,3,1,1:\n7,4,1,1:\n7,5,1,1:\n7,6,1,1:\n"
     "7,7,1,1:1、满意度指标:服务对象满意率(%),年度指标值:满意度指标低于90%不得分。\n"
     "8,1,1,1:小计\n8,2,1,1:\n8,3,1,1:232, 452. 06\n8,4,1,1:\n8,5,1,1:\n8,6,1,1:\n"
     "8,7,1,1:\n"},
    {"levels drifted right are put back left: text in a column the header "
     "leaves empty costs more (seed 004 lines 59-66)",
     {"59:项目绩效目标\t项目总目标\t\t\t年度总体目标\t\t",
      "60:\t\t\t\t切实做好援疆服务保障工作; 促进沪疆两地政务交流, 服务经贸往来; "
      "积极动员社会力量参与本市援疆工作。\t\t",
      "61:\t一级指标\t二级指标\t三级指标\t\t年度(/项目)指标值\t",
      "62:绩效指标\t成本指标\t经济成本指标\t合作交流工作成本控制额\t\t≤28.88(万元)\t",
      "63:\t\t\t产出指标\t数量指标\t赴对口支援地区工作次数\t≥10.00(次)",
      "64:\t开展服务企业工作的次数\t≥20(次)\t\t\t\t",
      "65:\t课题研究报告完成\t≥1(篇)\t\t\t\t",
      "66:\t援外保障工作计划完成率\t=100.00(%)\t\t\t\t"},
     "text 8x7\n"
     "1,1,2,1:项目绩效目标\n1,2,1,3:项目总目标\n1,5,1,3:年度总体目标\n"
     "2,2,1,3:\n2,5,1,3:切实做好援疆服务保障工作; 促进沪疆两地政务交流, 服务经贸往来; "
     "积极动员社会力量参与本市援疆工作。\n"
     "3,1,6,1:绩效指标\n3,2,1,1:一级指标\n3,3,1,1:二级指标\n3,4,1,2:三级指标\n"
     "3,6,1,2:年度(/项目)指标值\n"
     "4,2,1,1:成本指标\n4,3,1,1:经济成本指标\n4,4,1,2:合作交流工作成本控制额\n"
     "4,6,1,2:≤28.88(万元)\n"
     "5,2,4,1:产出指标\n5,3,4,1:数量指标\n5,4,1,2:赴对口支援地区工作次数\n"
     "5,6,1,2:≥10.00(次)\n"
     "6,4,1,2:开展服务企业工作的次数\n6,6,1,2:≥20(次)\n"
     "7,4,1,2:课题研究报告完成\n7,6,1,2:≥1(篇)\n"
     "8,4,1,2:援外保障工作计划完成率\n8,6,1,2:=100.00(%)\n"},
};

START_TEST(text_cases)
{
    ft_page p;
    norm_page_out o;
    norm_rules *rules = NULL;
    char msg[256];
    ft_page_init(&p);
    norm_page_out_init(&o);
    ck_assert_int_eq(norm_rules_load(NULL, 0, &rules, msg, sizeof msg), FT_OK);
    tl_page_plain(&p, 1);
    size_t n = 0;
    while (n < MAXL && cases[_i].lines[n])
        n++;
    tl_lines(&p, cases[_i].lines, n);
    norm_page_out_reset(&o, 1);
    ck_assert_int_eq(norm_text_page(&p, rules, &o), FT_OK);
    norm_page_sort(&o);
    char *got = tl_dump_page(&o);
    ck_assert_msg(strcmp(got, cases[_i].expect) == 0, "%s:\n--- got\n%s--- want\n%s",
                  cases[_i].name, got, cases[_i].expect);
    free(got);
    norm_rules_free(rules);
    norm_page_out_cleanup(&o);
    ft_page_cleanup(&p);
}
END_TEST

/* Every table the text path builds tiles its grid exactly (the table
 * stream's invariant), whatever the mix of leading, trailing and missing
 * fields. */
START_TEST(text_tables_tile_their_grid)
{
    static const char *const lines[] = {
        "1:a\t\t\t", "2:\tb", "3:\t\tc\td\te", "4:\t\t\t\t", "5:f\t\tg",
        "7:\t\t\th", "8:\ti\tj", "9:k\t", "10:\t\t\t\t\t\t\t\t"};
    ft_page p;
    norm_page_out o;
    norm_rules *rules = NULL;
    char msg[256];
    ft_page_init(&p);
    norm_page_out_init(&o);
    ck_assert_int_eq(norm_rules_load(NULL, 0, &rules, msg, sizeof msg), FT_OK);
    tl_page_plain(&p, 1);
    tl_lines(&p, lines, sizeof lines / sizeof *lines);
    norm_page_out_reset(&o, 1);
    ck_assert_int_eq(norm_text_page(&p, rules, &o), FT_OK);
    ck_assert_uint_ge(o.tables.count, 1);
    for (size_t i = 0; i < o.tables.count; i++) {
        size_t *map = NULL;
        ck_assert_int_eq(ft_table_slot_map(&o.tables.items[i], &map, msg,
                                           sizeof msg), FT_OK);
        free(map);
    }
    norm_rules_free(rules);
    norm_page_out_cleanup(&o);
    ft_page_cleanup(&p);
}
END_TEST

/* Space-aligned lines (pdftotext -layout) go to the unruled finder; the
 * rows around them stay notes. */
START_TEST(text_space_aligned_block)
{
    static const char *const lines[] = {
        "1:Regional output",
        "3:Region    Industry        2019     2020",
        "4:North     Chemicals      761.4    800.7",
        "5:South     Retail         123.9    120.3",
        "6:East      Mining          55.0     60.2",
        "8:Source: statistics office"};
    ft_page p;
    norm_page_out o;
    norm_rules *rules = NULL;
    char msg[256];
    ft_page_init(&p);
    norm_page_out_init(&o);
    ck_assert_int_eq(norm_rules_load(NULL, 0, &rules, msg, sizeof msg), FT_OK);
    tl_page_plain(&p, 1);
    tl_lines(&p, lines, sizeof lines / sizeof *lines);
    norm_page_out_reset(&o, 1);
    ck_assert_int_eq(norm_text_page(&p, rules, &o), FT_OK);
    norm_page_sort(&o);
    ck_assert_uint_ge(o.count, 2);
    ck_assert_int_eq(o.items[0].kind, NORM_ITEM_NOTE);
    ck_assert_int_eq(o.items[o.count - 1].kind, NORM_ITEM_NOTE);
    /* The block's text is all there, as a stream table or as notes. */
    char *got = tl_dump_page(&o);
    ck_assert_ptr_nonnull(strstr(got, "Chemicals"));
    ck_assert_ptr_nonnull(strstr(got, "60.2"));
    for (size_t i = 0; i < o.tables.count; i++) {
        const ft_table *t = &o.tables.items[i];
        ck_assert_str_eq(t->method, "stream");
        ck_assert_int_eq(t->has_box, 0); /* monospace boxes are not real */
    }
    free(got);
    norm_rules_free(rules);
    norm_page_out_cleanup(&o);
    ft_page_cleanup(&p);
}
END_TEST

/* Cell types (norm_textalign_type), written by hand from the seeds. */
static const struct {
    const char *text;
    norm_ttype type;
} type_cases[] = {
    {"", NORM_TT_EMPTY},
    {"≥90.00(%)", NORM_TT_NUMBER},
    {"> 95%", NORM_TT_NUMBER},
    {"=100.00(次)", NORM_TT_NUMBER},
    {"378,240.36", NORM_TT_NUMBER},
    {"233, 875. 26", NORM_TT_NUMBER},
    {"10 次", NORM_TT_NUMBER},
    {"1260万元", NORM_TT_NUMBER},
    {"2020-01-01", NORM_TT_NUMBER},
    {"$\\geq 90.00\\%$", NORM_TT_NUMBER},
    {"１２３，４５６．００", NORM_TT_NUMBER},
    {"—", NORM_TT_NUMBER},
    {"-", NORM_TT_NUMBER},
    {"1、产出指标:培训人数,年度指标值:≥400人。", NORM_TT_LIST},
    {"1、数据采集与数据分析", NORM_TT_LIST},
    {"合理", NORM_TT_SHORT},
    {"采购率大于80%即达标", NORM_TT_SHORT},
    {"2020年绩效目标", NORM_TT_SHORT},
    {"项目单位有人员分工机制，人员配置能有效完成项目", NORM_TT_SHORT},
    {"保证法律顾问在合法性审核中发挥积极作用。", NORM_TT_LONG},
    {"通过设立合作交流工作业务费项目，确保合作交流、对口支援工作以及课题研究项目的顺利开展",
     NORM_TT_LONG},
    {"与广东省接待办、深圳市接待办及部分地级市接待办共同协作完成", NORM_TT_LONG},
};

START_TEST(text_cell_types)
{
    const char *t = type_cases[_i].text;
    ck_assert_msg(norm_textalign_type(t, strlen(t)) == type_cases[_i].type,
                  "%s: type %d, want %d", t, norm_textalign_type(t, strlen(t)),
                  type_cases[_i].type);
}
END_TEST

/* Header rows (norm_textalign_is_header): each case is a table's lines and,
 * per row, 1 if it is a header. */
static const struct {
    const char *name;
    const char *lines[MAXL];
    const char *want;
} header_cases[] = {
    {"column labels after a sentence, values two rows down (seed 003 form 2)",
     {"1:项目绩效目标\t项目总目标\t\t年度总体目标\t\t",
      "2:\t保证法律顾问在合法性审核中发挥积极作用。\t\t保证法律顾问在合法性审核中发挥积极作用。\t\t",
      "3:绩效指标\t一级指标\t二级指标\t三级指标\t年度(/项目)指标值\t",
      "4:\t成本指标\t经济成本指标\t成本合理性\t合理\t",
      "5:\t产出指标\t数量指标\t聘请法律顾问\t≥2.00(人)\t"},
     "00100"},
    {"key/value rows are not headers (seed 004 form 1)",
     {"1:财政项目支出绩效目标申报表\t\t\t\t\t",
      "2:项目名称\t机关服务费\t项目性质\t经常性专项业务费\t项目类别\t其他运转类",
      "3:主管部门\t上海市人民政府合作交流办公室\t\t实施单位\t上海市人民政府驻新疆办事处\t",
      "4:计划开始日期\t2026-01-01\t\t计划完成日期\t2026-12-31\t"},
     "0000"},
    {"labels longer than a column header are key values, not headers (seed "
     "004 主管部门 row)",
     {"1:(2026 年度)\t\t\t",
      "2:主管部门\t上海市人民政府合作交流办公室\t实施单位\t上海市人民政府驻新疆办事处",
      "3:计划开始日期\t2026-01-01\t计划完成日期\t2026-12-31"},
     "000"},
    {"a data row of short labels inside a section is not a header (seed 003 "
     "form 1, 效益指标 row)",
     {"1:\t质量指标\t项目完成率\t≥90.00(%)",
      "2:效益指标\t经济效益指标\t促进两地共同发展\t促进",
      "3:\t社会效益指标\t提高当地人才干部队伍建设\t提高",
      "4:满意度指标\t服务对象满意度指标\t援派干部挂职单位满意度\t≥90.00(%)"},
     "0000"},
};

START_TEST(text_header_rows)
{
    norm_tgrid g;
    norm_tgrid_init(&g, 16);
    size_t n = 0;
    for (; n < MAXL && header_cases[_i].lines[n]; n++) {
        const char *l = header_cases[_i].lines[n];
        char *end;
        unsigned long no = strtoul(l, &end, 10);
        int folded;
        ck_assert_int_eq(norm_tgrid_add_line(&g, end + 1, strlen(end + 1), no,
                                             0, &folded), FT_OK);
    }
    norm_tgrid_finish(&g);
    ck_assert_uint_eq(g.nrows, n);
    for (size_t r = 0; r < n; r++)
        ck_assert_msg(norm_textalign_is_header(&g, r) ==
                          (header_cases[_i].want[r] == '1'),
                      "%s: row %zu", header_cases[_i].name, r + 1);
    norm_tgrid_cleanup(&g);
}
END_TEST

/* The page remembers its level labels: a later form's drifted row is placed
 * by the header its labels stood under in an earlier form (seed 004 forms 3
 * and 4); without the earlier form the types alone place it elsewhere. */
START_TEST(text_level_labels_carry_over)
{
    static const char *const form3[] = {
        "59:项目绩效目标\t项目总目标\t\t\t年度总体目标\t\t",
        "60:\t\t\t\t切实做好援疆服务保障工作; 促进沪疆两地政务交流, 服务经贸往来; "
        "积极动员社会力量参与本市援疆工作。\t\t",
        "61:\t一级指标\t二级指标\t三级指标\t\t年度(/项目)指标值\t",
        "62:绩效指标\t成本指标\t经济成本指标\t合作交流工作成本控制额\t\t≤28.88(万元)\t",
        "63:\t\t\t产出指标\t数量指标\t赴对口支援地区工作次数\t≥10.00(次)",
        "64:\t开展服务企业工作的次数\t≥20(次)\t\t\t\t",
        "74:(2026 年度)"};
    static const char *const form4[] = {
        "77:项目名称\t合作交流专项工作经费\t\t项目性质\t经常性专项业务费\t项目类别\t特定目标类",
        "84:项目绩效目标\t项目总目标\t\t\t年度总体目标\t\t",
        "85:\t\t\t\t为上海市、区两级政府、相关职能部门等赴喀什工作团组开展相关工作、"
        "加强与新疆当地政府部门联络协调工作提供必要保障。\t\t",
        "86:\t一级指标\t二级指标\t三级指标\t\t年度(/项目)指标值\t",
        "87:绩效指标\t成本指标\t经济成本指标\t合作交流专项成本控额\t\t≤30.00(万元)\t",
        "88:\t\t\t产出指标\t数量指标\t调研考察保障任务完成率\t",
        "89:\t接待团组数量\t\t\t\t≥60(批)\t",
        "90:\t质量指标\t调研考察团组失误率\t\t=0(%)\t\t"};
    const char *lines[16];
    size_t n = 0;
    for (size_t k = 0; k < sizeof form3 / sizeof *form3; k++)
        lines[n++] = form3[k];
    for (size_t k = 0; k < sizeof form4 / sizeof *form4; k++)
        lines[n++] = form4[k];
    for (int with_form3 = 1; with_form3 >= 0; with_form3--) {
        ft_page p;
        norm_page_out o;
        norm_rules *rules = NULL;
        char msg[256];
        ft_page_init(&p);
        norm_page_out_init(&o);
        ck_assert_int_eq(norm_rules_load(NULL, 0, &rules, msg, sizeof msg), FT_OK);
        tl_page_plain(&p, 1);
        if (with_form3)
            tl_lines(&p, lines, n);
        else
            tl_lines(&p, form4, sizeof form4 / sizeof *form4);
        norm_page_out_reset(&o, 1);
        ck_assert_int_eq(norm_text_page(&p, rules, &o), FT_OK);
        const ft_table *t = &o.tables.items[o.tables.count - 1];
        unsigned col = 0;
        for (size_t c = 0; c < t->ncells; c++)
            if (strcmp(t->cells[c].text, "产出指标") == 0)
                col = t->cells[c].col;
        if (with_form3)
            ck_assert_uint_eq(col, 2); /* under 一级指标 */
        else
            ck_assert_uint_ne(col, 2); /* types alone: not placed there */
        norm_rules_free(rules);
        norm_page_out_cleanup(&o);
        ft_page_cleanup(&p);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("norm_text");
    TCase *tc = tcase_create("text");
    tcase_add_loop_test(tc, text_cases, 0, sizeof cases / sizeof *cases);
    tcase_add_test(tc, text_tables_tile_their_grid);
    tcase_add_test(tc, text_level_labels_carry_over);
    tcase_add_loop_test(tc, text_cell_types, 0,
                        sizeof type_cases / sizeof *type_cases);
    tcase_add_loop_test(tc, text_header_rows, 0,
                        sizeof header_cases / sizeof *header_cases);
    tcase_add_test(tc, text_space_aligned_block);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
