//! Rebuilds the server when a migration is added: `sqlx::migrate!` embeds the folders'
//! files, but Cargo only knows to look again at files it was told of.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=migrations-postgres");
}
