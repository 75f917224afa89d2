//! `broadsheet user ...`: accounts from the command line (the first admin has no other way
//! in).

use crate::config::Config;
use crate::services::accounts;
use broadsheet_domain::Role;
use broadsheet_store::{Store, StoreError};
use clap::Subcommand;
use std::io::BufRead;

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account with an e-mail address and password. The password is read from
    /// standard input with --password-stdin; otherwise one is generated and printed once.
    Add {
        #[arg(long)]
        email: String,
        /// reader, reporter, editor or admin.
        #[arg(long, default_value = "reader", value_parser = parse_role)]
        role: Role,
        /// The name shown with comments and bylines (default: the address's part before @).
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Change an account's role (the account by e-mail address or id).
    SetRole {
        who: String,
        #[arg(value_parser = parse_role)]
        role: Role,
    },
    /// List the accounts.
    List,
}

fn parse_role(name: &str) -> Result<Role, String> {
    Role::parse(name)
        .ok_or_else(|| format!("'{name}' is not a role; use reader, reporter, editor or admin"))
}

pub async fn run(config: &Config, command: UserCommand) -> Result<(), StoreError> {
    let store = Store::open(&config.database_url).await?;
    match command {
        UserCommand::Add {
            email,
            role,
            name,
            password_stdin,
        } => {
            let (password, generated) = if password_stdin {
                let mut line = String::new();
                std::io::stdin()
                    .lock()
                    .read_line(&mut line)
                    .map_err(|e| StoreError::Corrupt(format!("cannot read standard input: {e}")))?;
                (line.trim_end_matches(['\r', '\n']).to_string(), false)
            } else {
                (crate::auth::token::random()[..24].to_string(), true)
            };
            let name = name.unwrap_or_else(|| email.split('@').next().unwrap_or("").to_string());
            let user = accounts::register(&store, &email, &name, &password, role).await?;
            println!(
                "account {} created: {} ({})",
                user.id,
                user.email.as_deref().unwrap_or(""),
                user.role
            );
            if generated {
                println!("password: {password}");
            }
        }
        UserCommand::SetRole { who, role } => {
            let user = accounts::find(&store, &who).await?;
            store.set_role(user.id, role).await?;
            println!(
                "account {} ({}) is now {role}",
                user.id,
                user.email.as_deref().unwrap_or("")
            );
        }
        UserCommand::List => {
            for user in store.users().await? {
                println!(
                    "{}\t{}\t{}\t{}",
                    user.id,
                    user.role,
                    user.email.as_deref().unwrap_or("-"),
                    user.display_name
                );
            }
        }
    }
    store.close().await;
    Ok(())
}
