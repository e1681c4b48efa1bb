fn main() {
    std::process::exit(framelens::cli::main());
}
