use crate::common::{draft, Env};

#[test]
fn valid_draft_prints_summary() {
    let env = Env::new();
    env.write("d.toml", &draft(3));
    let out = env.treaty(&["check", "d.toml"]).ok();
    assert_eq!(
        out,
        "d.toml: 3 points · 0 agreed, 0 disputed, 3 open · 0 brackets\n"
    );
}

#[test]
fn invalid_draft_exits_2_with_every_error() {
    let env = Env::new();
    let src = draft(2).replace("number = \"2\"", "number = \"1\"") + "stauts = \"agreed\"\n";
    env.write("bad.toml", &src);
    let before = env.read("bad.toml");
    let out = env.treaty(&["check", "bad.toml"]).expect(2);
    assert!(
        out.stderr
            .contains("bad.toml:10:10: duplicate number \"1\""),
        "{out}"
    );
    assert!(out.stderr.contains("did you mean `status`?"), "{out}");
    assert_eq!(env.read("bad.toml"), before);
}

#[test]
fn check_json_reports_errors_with_lines() {
    let env = Env::new();
    env.write("bad.toml", "[plan]\n[[points]]\nnumber = \"1\"\n");
    let out = env
        .treaty(&["check", "--format", "json", "bad.toml"])
        .expect(2);
    let v = out.json();
    assert_eq!(v["schema"], "treaty.check/1");
    assert_eq!(v["files"][0]["valid"], false);
    assert_eq!(v["files"][0]["errors"][0]["line"], 2);
}

#[test]
fn unknown_plan_name_exits_2() {
    let env = Env::new();
    std::fs::create_dir(env.path(".git")).ok();
    let out = env.treaty(&["check", "../x"]).expect(2);
    assert!(out.stderr.contains("error:"), "{out}");
}
