//! The `soilreg` command: parse the CLI and call into the library.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use soilreg::config::{Config, ServeArgs};
use soilreg::domain::access::{Department, Role};
use soilreg::{demo, AppState};

#[derive(Parser)]
#[command(
    name = "soilreg",
    version,
    about = "Registry and map of construction-land parcels and contaminated sites"
)]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP service.
    Serve(ServeArgs),
    /// Run the database migrations.
    Migrate,
    /// The synthetic demo district.
    #[command(subcommand)]
    Demo(DemoCommand),
    /// Users and their tokens.
    #[command(subcommand)]
    User(UserCommand),
    /// Screen every parcel's soil results against GB 36600 and print a summary (JSON).
    Screen,
    /// The embedded PostgreSQL cluster (for scripts: tests and benchmarks).
    #[command(subcommand)]
    Db(DbCommand),
    /// Import parcels from a Shapefile (or .zip), GeoPackage, GeoJSON or CSV.
    Import(soilreg::interchange::cli::ImportArgs),
    /// Export parcels (or another collection) to Shapefile, GeoPackage, GeoJSON, CSV or XLSX.
    Export(soilreg::interchange::cli::ExportArgs),
}

#[derive(Subcommand)]
enum DemoCommand {
    /// Load the demo district, its parcels and demo users (idempotent).
    Load,
    /// Record synthetic histories for up to N generated parcels (GEN-…) of medium or high risk.
    Histories {
        #[arg(long)]
        limit: i64,
    },
    /// Generate N more synthetic parcels (codes GEN-…) for benchmarks.
    Generate {
        #[arg(long)]
        parcels: i32,
        #[arg(long, default_value_t = 7)]
        seed: i32,
        /// The same density in every town (by default the eastern towns, where people
        /// live and industry was, hold most parcels).
        #[arg(long)]
        uniform: bool,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user and print its token (shown once).
    Add {
        #[arg(long)]
        name: String,
        /// eco, planning, housing, agri, forestry, industry, water, park, or a town's 9-digit code.
        #[arg(long)]
        department: String,
        /// viewer, editor or admin.
        #[arg(long)]
        role: String,
    },
}

#[derive(Subcommand)]
enum DbCommand {
    /// Start the embedded cluster, create the database, print its URL, and leave it running.
    Start,
    /// Stop the embedded cluster.
    Stop,
}

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "soilreg=info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let config = cli.config;
    match cli.command {
        Command::Serve(args) => serve(config, args).await,
        Command::Migrate => {
            let (url, _cluster) = soilreg::database(&config).await?;
            soilreg::connect_and_migrate(&url, 2).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Demo(cmd) => {
            let (url, _cluster) = soilreg::database(&config).await?;
            let pool = soilreg::connect_and_migrate(&url, 4).await?;
            match cmd {
                DemoCommand::Load => {
                    let users = demo::load(&pool).await?;
                    print_demo_users(&users);
                }
                DemoCommand::Histories { limit } => {
                    let n = demo::record_histories(&pool, "GEN-", limit).await?;
                    println!("{n} events recorded");
                }
                DemoCommand::Generate {
                    parcels,
                    seed,
                    uniform,
                } => {
                    if parcels <= 0 {
                        bail!("--parcels must be positive");
                    }
                    let n = demo::generate(&pool, "GEN-", parcels, seed, uniform).await?;
                    println!("{n} parcels generated");
                }
            }
            Ok(())
        }
        Command::User(UserCommand::Add {
            name,
            department,
            role,
        }) => {
            let department = Department::parse(&department).context("unknown department code")?;
            let role: Role = serde_json::from_value(serde_json::Value::String(role))
                .context("role must be viewer, editor or admin")?;
            let (url, _cluster) = soilreg::database(&config).await?;
            let pool = soilreg::connect_and_migrate(&url, 2).await?;
            let token = soilreg::db::users::new_token();
            let mut tx = pool.begin().await?;
            soilreg::db::users::create(&mut tx, &name, department, role, &token).await?;
            tx.commit().await?;
            println!("{token}");
            Ok(())
        }
        Command::Db(DbCommand::Start) => {
            let (url, cluster) = soilreg::database(&config).await?;
            if let Some(c) = cluster {
                c.detach();
            }
            println!("{url}");
            Ok(())
        }
        Command::Screen => {
            let (url, _cluster) = soilreg::database(&config).await?;
            let pool = soilreg::connect_and_migrate(&url, 4).await?;
            let summary = soilreg::bulk::screen_all(&pool).await?;
            println!("{}", serde_json::to_string(&summary)?);
            Ok(())
        }
        Command::Import(args) => {
            let (url, _cluster) = soilreg::database(&config).await?;
            let pool = soilreg::connect_and_migrate(&url, 4).await?;
            let committed = soilreg::interchange::cli::import(&pool, config.limits(), args).await?;
            if !committed {
                std::process::exit(2);
            }
            Ok(())
        }
        Command::Export(args) => {
            let (url, _cluster) = soilreg::database(&config).await?;
            let pool = soilreg::connect_and_migrate(&url, 4).await?;
            soilreg::interchange::cli::export(&pool, args).await
        }
        Command::Db(DbCommand::Stop) => {
            soilreg::pg::Cluster::stop_dir(&config.pg_dir, &config.pg_bin)
        }
    }
}

async fn serve(config: Config, args: ServeArgs) -> Result<()> {
    let (url, cluster) = soilreg::database(&config).await?;
    let pool = soilreg::connect_and_migrate(&url, config.db_pool).await?;
    if args.demo {
        let users = demo::load(&pool).await?;
        print_demo_users(&users);
    }
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("binding {}", args.listen))?;
    println!("soilreg listening on http://{}", listener.local_addr()?);
    let checks = soilreg::spawn_checks(
        pool.clone(),
        std::time::Duration::from_secs(config.check_interval_secs.max(1)),
    );
    let state = AppState::new(pool, config);
    soilreg::serve(listener, state, shutdown_signal()).await?;
    checks.abort();
    drop(cluster);
    Ok(())
}

fn print_demo_users(users: &[demo::DemoUser]) {
    println!("demo users (synthetic; tokens for Authorization: Bearer …):");
    for u in users {
        println!(
            "  {:<22} {:<10} {:<7} {}",
            u.name,
            u.department.code(),
            format!("{:?}", u.role).to_lowercase(),
            u.token
        );
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}
