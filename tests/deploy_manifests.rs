//! The Kubernetes and Slurm files in deploy/ stay in step with the CLI: their structure is what
//! the engines need (an Indexed Job with GPUs and both volumes; an array with its dependent
//! merge), and their callqa commands run — through a shell, as the engines run them, on a night
//! of one call — with the flags they use.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn yaml(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A folder on PATH holding `callqa` (this build) and an `srun` that just runs its command.
fn bin_dir(dir: &Path) -> String {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_callqa"), bin.join("callqa")).unwrap();
    let srun = bin.join("srun");
    std::fs::write(&srun, "#!/bin/sh\nexec \"$@\"\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&srun, std::fs::Permissions::from_mode(0o755)).unwrap();
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// A night of one call (whichever shard owns it transcribes it; the others have none).
fn night(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let calls = dir.join("calls");
    let results = dir.join("results");
    std::fs::create_dir_all(&calls).unwrap();
    std::fs::create_dir_all(&results).unwrap();
    std::fs::write(
        calls.join("manifest.csv"),
        format!(
            "call_id,file,agent_id,customer_id,started_at,queue,direction\n\
             n-1,{},A1,C1,2026-11-02T10:00:00Z,support,inbound\n",
            root()
                .join("samples/call02_password_stereo_ulaw.wav")
                .display()
        ),
    )
    .unwrap();
    (calls, results)
}

fn run_shell(script: &str, path: &str, env: &[(&str, String)]) -> std::process::Output {
    let mut cmd = Command::new("/bin/sh");
    cmd.args(["-c", script])
        .env("PATH", path)
        .env("CALLQA_MODEL", model())
        .env("CALLQA_RUBRICS", root().join("rubrics"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn assert_ran(what: &str, out: &std::process::Output) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{what}: exit {:?}\n{err}",
        out.status.code()
    );
    assert!(!err.contains("Usage:"), "{what}: {err}");
}

#[test]
fn kubernetes_jobs_are_indexed_with_gpus_and_their_commands_run() {
    let score = yaml("deploy/kubernetes/score-job.yaml");
    let spec = &score["spec"];
    assert_eq!(score["kind"], "Job");
    assert_eq!(spec["completionMode"], "Indexed");
    let completions = spec["completions"].as_i64().unwrap();
    let pod = &spec["template"]["spec"];
    let container = &pod["containers"][0];
    assert_eq!(container["resources"]["limits"]["nvidia.com/gpu"], 1);
    let shard_count = container["env"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "CALLQA_SHARD_COUNT")
        .and_then(|e| e["value"].as_str())
        .expect("CALLQA_SHARD_COUNT");
    assert_eq!(
        shard_count,
        completions.to_string(),
        "count must equal completions"
    );
    let mounts: Vec<&str> = container["volumeMounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["mountPath"].as_str().unwrap())
        .collect();
    assert_eq!(mounts, ["/calls", "/results"]);
    assert_eq!(pod["volumes"].as_array().unwrap().len(), 2);

    let dir = tempfile::tempdir().unwrap();
    let (calls, results) = night(dir.path());
    let path = bin_dir(dir.path());
    let local = |script: &str| {
        script
            .replace("/calls", calls.to_str().unwrap())
            .replace("/results", results.to_str().unwrap())
    };
    let score_cmd = container["args"][0].as_str().unwrap();
    assert!(score_cmd.contains("--shard auto"), "{score_cmd}");
    for index in 0..completions {
        let out = run_shell(
            &local(score_cmd),
            &path,
            &[
                ("JOB_COMPLETION_INDEX", index.to_string()),
                ("CALLQA_SHARD_COUNT", shard_count.to_string()),
            ],
        );
        assert_ran("score job", &out);
        assert!(results.join(format!("shard-{index}.db")).is_file());
    }

    let merge = yaml("deploy/kubernetes/merge-job.yaml");
    let merge_cmd = merge["spec"]["template"]["spec"]["containers"][0]["args"][0]
        .as_str()
        .unwrap();
    assert!(merge_cmd.contains("merge --into"), "{merge_cmd}");
    let out = run_shell(&local(merge_cmd), &path, &[]);
    assert_ran("merge job", &out);
    assert!(results.join("callqa.db").is_file());
    assert!(results.join("team-report.html").is_file());
}

#[test]
fn slurm_array_and_dependent_merge_run() {
    let array = std::fs::read_to_string(root().join("deploy/slurm/score-array.sbatch")).unwrap();
    let range = array
        .lines()
        .find_map(|l| l.strip_prefix("#SBATCH --array="))
        .expect("an --array line");
    let (lo, hi) = range.split_once('-').unwrap();
    let (lo, hi): (u32, u32) = (lo.parse().unwrap(), hi.parse().unwrap());
    assert!(array.contains("#SBATCH --gres=gpu:1"));
    let submit = std::fs::read_to_string(root().join("deploy/slurm/submit.sh")).unwrap();
    assert!(submit.contains("--dependency=afterok:"), "{submit}");

    let dir = tempfile::tempdir().unwrap();
    let (calls, results) = night(dir.path());
    let path = bin_dir(dir.path());
    let env = |task: u32| {
        vec![
            ("CALLS", calls.display().to_string()),
            ("RESULTS", results.display().to_string()),
            ("SLURM_ARRAY_TASK_ID", task.to_string()),
            ("SLURM_ARRAY_TASK_MIN", lo.to_string()),
            ("SLURM_ARRAY_TASK_COUNT", (hi - lo + 1).to_string()),
        ]
    };
    let script = root().join("deploy/slurm/score-array.sbatch");
    for task in lo..=hi {
        let out = run_shell(&format!("bash {}", script.display()), &path, &env(task));
        assert_ran("score array task", &out);
        assert!(results.join(format!("shard-{task}.db")).is_file());
    }
    let merge = root().join("deploy/slurm/merge.sbatch");
    let out = run_shell(&format!("bash {}", merge.display()), &path, &env(lo));
    assert_ran("merge", &out);
    assert!(results.join("callqa.db").is_file());
    assert!(results.join("team-report.html").is_file());
}
