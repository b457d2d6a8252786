# fish completion for kubectl-dra (kubectl dra completion fish)
# Load it with: kubectl-dra completion fish | source
function __kubectl_dra_complete
    set -l args (commandline -opc)
    set -l out (command $args[1] __complete $args[2..-1] (commandline -ct) 2>/dev/null)
    set -l directive (string replace ':' '' -- $out[-1])
    set -e out[-1]
    for line in $out
        printf '%s\n' $line
    end
    if test (count $out) -eq 0; and test (math "bitand($directive, 4)") -eq 0
        __fish_complete_path (commandline -ct)
    end
end
complete -c kubectl-dra -f -a '(__kubectl_dra_complete)'
