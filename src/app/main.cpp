#include "app/cli.h"

int main(int argc, char** argv) { return jixiao::app::main(argc, argv); }
