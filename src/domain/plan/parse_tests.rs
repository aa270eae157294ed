//! The parser against the published 2023 plan, and against broken copies of it.

use super::parse;
use crate::domain::access::Department;
use crate::domain::plan::{Deadline, Plan, Task, UnitDept, PLAN_2023};

fn plan() -> Plan {
    parse(PLAN_2023).expect("the 2023 plan parses")
}

fn task(plan: &Plan, no: i16) -> &Task {
    plan.tasks.iter().find(|t| t.no == no).expect("task")
}

fn names(units: &[crate::domain::plan::Unit]) -> Vec<&str> {
    units.iter().map(|u| u.name.as_str()).collect()
}

#[test]
fn the_2023_plan_has_sixteen_tasks_numbered_one_to_sixteen_in_order() {
    let plan = plan();
    assert_eq!(plan.year, 2023);
    assert_eq!(plan.tasks.len(), 16);
    let numbers: Vec<i16> = plan.tasks.iter().map(|t| t.no).collect();
    assert_eq!(numbers, (1..=16).collect::<Vec<i16>>());
}

#[test]
fn the_2023_plan_has_thirty_two_measures_counted_by_hand() {
    // Counted in the text: rows with a measure, including the second row of task 7 that
    // repeats its number and title.
    let plan = plan();
    let per_task: Vec<usize> = plan.tasks.iter().map(|t| t.measures.len()).collect();
    assert_eq!(per_task, [1, 1, 5, 5, 1, 1, 3, 2, 3, 1, 2, 1, 1, 1, 1, 3]);
    assert_eq!(per_task.iter().sum::<usize>(), 32);
}

#[test]
fn titles_are_joined_across_line_breaks_and_sections_carry_their_heading() {
    let plan = plan();
    assert_eq!(task(&plan, 1).title, "目标任务");
    assert_eq!(task(&plan, 1).section, "一、土壤污染防治目标");
    assert_eq!(task(&plan, 2).title, "保障建设用地土壤环境安全");
    assert_eq!(task(&plan, 2).section, "二、全面加强建设用地风险防控");
    assert_eq!(task(&plan, 7).title, "加强种植业土壤污染源头防控");
    assert_eq!(task(&plan, 7).section, "三、持续推进农用地安全利用");
    // The heading ends with an ideographic space in the text.
    assert_eq!(task(&plan, 10).section, "四、拓展强化未利用地保护");
    assert_eq!(task(&plan, 14).title, "提升危险废物收运处置能力");
    assert_eq!(task(&plan, 16).title, "提升监测监管能力");
    assert_eq!(task(&plan, 16).section, "五、加强土壤环境治理能力建设");
}

#[test]
fn deadlines_are_year_end_except_the_seven_ongoing_measures() {
    let plan = plan();
    let ongoing: Vec<(i16, usize)> = plan
        .tasks
        .iter()
        .flat_map(|t| {
            t.measures
                .iter()
                .enumerate()
                .filter(|(_, m)| m.deadline == Deadline::Ongoing)
                .map(move |(i, _)| (t.no, i + 1))
        })
        .collect();
    assert_eq!(
        ongoing,
        [(2, 1), (4, 1), (4, 4), (5, 1), (10, 1), (11, 1), (13, 1)]
    );
    assert_eq!(task(&plan, 3).measures[4].deadline, Deadline::YearEnd);
}

#[test]
fn measure_text_keeps_its_paragraphs() {
    let plan = plan();
    let t2 = &task(&plan, 2).measures[0].text;
    assert!(t2.starts_with("重点建设用地安全利用得到有效保障"));
    assert_eq!(t2.lines().count(), 2);
    let enforcement = &task(&plan, 16).measures[2].text;
    assert_eq!(enforcement.lines().count(), 3);
    assert!(enforcement.lines().all(|l| l.starts_with("加强")));
    assert!(task(&plan, 7).measures[1]
        .text
        .starts_with("推进果业林业等绿色防控"));
    assert!(task(&plan, 7).measures[2].text.starts_with('★'));
}

#[test]
fn units_are_split_and_mapped_to_departments_where_the_system_has_them() {
    let plan = plan();
    let m = &task(&plan, 1).measures[0];
    assert_eq!(
        names(&m.lead),
        [
            "区生态环境局",
            "区农业农村局",
            "区园林绿化局",
            "区规自分局",
            "区应急局"
        ]
    );
    assert_eq!(m.lead[0].department, Some(UnitDept::One(Department::Eco)));
    assert_eq!(m.lead[4].department, None, "区应急局 has no department");
    assert_eq!(m.responsible.len(), 7);
    let by_name = |n: &str| m.responsible.iter().find(|u| u.name == n).expect(n);
    assert_eq!(by_name("区城管委").department, None);
    assert_eq!(by_name("百花山管理处").department, None);
    assert_eq!(by_name("各镇街").department, Some(UnitDept::Towns));
    assert_eq!(
        by_name("中关村门头沟园管委会").department,
        Some(UnitDept::One(Department::Park))
    );

    // A cell broken over lines, and one ending in `、`.
    let m2 = &task(&plan, 2).measures[0];
    assert_eq!(
        names(&m2.responsible),
        ["区住建委", "各镇街", "中关村门头沟园管委会"]
    );

    // 规自分局 without 区 is the same bureau; 各镇街 may lead; `——` is nobody.
    let m13 = &task(&plan, 13).measures[0];
    assert_eq!(m13.lead.len(), 6);
    assert_eq!(
        m13.lead[1].department,
        Some(UnitDept::One(Department::Planning))
    );
    assert_eq!(m13.lead[4].department, Some(UnitDept::Towns));
    assert!(m13.responsible.is_empty());

    let m4 = &task(&plan, 4).measures[2];
    assert_eq!(names(&m4.responsible), ["军庄等相关镇街"]);
    assert_eq!(m4.responsible[0].department, Some(UnitDept::Towns));
    assert_eq!(
        names(&task(&plan, 9).measures[1].responsible),
        ["区规自分局", "各镇街"]
    );
}

#[test]
fn unknown_deadline_wording_is_refused_with_its_line() {
    let text = PLAN_2023.replacen("\t长期实施\n", "\t尽快实施\n", 1);
    let err = parse(&text).expect_err("unknown wording");
    assert!(err.message.contains("尽快实施"), "{err}");
    let line = text.lines().nth(err.line - 1).expect("line");
    assert_eq!(line, "\t尽快实施");
}

#[test]
fn numbers_out_of_order_or_reused_with_another_title_are_refused() {
    let skipped = PLAN_2023.replacen("\t5\n", "\t6\n", 1);
    assert!(parse(&skipped)
        .expect_err("skipped")
        .message
        .contains("out of order"));
    let retitled = PLAN_2023.replacen("\t7\n\t加强\n种植业", "\t7\n\t加强\n养殖业", 2);
    let second = retitled.replacen("\t7\n\t加强\n养殖业", "\t7\n\t加强\n种植业", 1);
    assert!(parse(&second)
        .expect_err("retitled")
        .message
        .contains("another title"));
}

#[test]
fn a_text_without_the_header_year_or_full_rows_is_refused() {
    assert!(parse("").is_err());
    assert!(parse(&PLAN_2023.replacen("2023年行动计划", "行动计划", 1)).is_err());
    assert!(parse(&PLAN_2023.replacen("\t序号\n", "\t编号\n", 1)).is_err());
    let cut = &PLAN_2023[..PLAN_2023.rfind("\t年底前").expect("last deadline")];
    assert!(parse(cut)
        .expect_err("incomplete")
        .message
        .contains("six cells"));
    let no_lead = PLAN_2023.replacen(
        "\t中关村门头沟园管委会\n\t区生态环境局、区科信局\n",
        "\t——\n\t区生态环境局、区科信局\n",
        1,
    );
    assert!(parse(&no_lead)
        .expect_err("no lead")
        .message
        .contains("lead unit"));
}
