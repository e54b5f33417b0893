from frontierwatch.cli import main

main()
